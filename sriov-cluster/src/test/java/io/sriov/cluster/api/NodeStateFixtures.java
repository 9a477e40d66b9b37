package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.VfGroupSpec;
import io.sriov.daemon.state.VfStatus;
import java.util.List;
import java.util.Map;

/** Node states for the API tests. */
final class NodeStateFixtures {
  private NodeStateFixtures() {}

  /** A state with every spec and status field of upstream's CRD set to a non-zero value. */
  static SriovNetworkNodeState everyField() {
    SriovNetworkNodeState s = new SriovNetworkNodeState();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withName("worker-0")
            .withNamespace("sriov-network-operator")
            .addToAnnotations(SriovNetworkNodeState.DESIRED_STATE_ANNOTATION, "Idle")
            .build());
    s.setSpec(
        new NodeStateSpec(
            List.of(
                new InterfaceSpec(
                    "0000:3b:00.0",
                    8,
                    9000,
                    "ens1f0",
                    "eth",
                    "legacy",
                    List.of(
                        new VfGroupSpec(
                            "intel_net", "netdevice", "0-7", "policy-net", 9000, true, "virtio")),
                    true)),
            Map.of("ovs", List.of(Map.of("name", "br-0000_3b_00.0"))),
            Map.of("rdmaMode", "exclusive")));
    s.setStatus(
        new NodeStateStatus(
            List.of(
                new InterfaceStatus(
                    "ens1f0",
                    "3c:fd:fe:00:00:01",
                    "ice",
                    "0000:3b:00.0",
                    "8086",
                    "159b",
                    "openstack/NetworkID:1",
                    9000,
                    8,
                    "25000 Mb/s",
                    "ETH",
                    "up",
                    "legacy",
                    true,
                    64,
                    List.of(
                        new VfStatus(
                            "ens1f0v0",
                            "02:00:00:00:00:01",
                            "yes",
                            "iavf",
                            "0000:3b:01.0",
                            "8086",
                            "1889",
                            100,
                            9000,
                            1,
                            "virtio",
                            "ens1f0r0",
                            "00:11:22:33:44:55:66:77")),
                    List.of("enp59s0f0"))),
            "Succeeded",
            "none",
            Map.of("ovs", List.of(Map.of("name", "br-0000_3b_00.0"))),
            Map.of("rdmaMode", "exclusive"),
            List.of()));
    return s;
  }
}
