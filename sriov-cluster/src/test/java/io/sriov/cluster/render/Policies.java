package io.sriov.cluster.render;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sriov.cluster.api.SriovNetworkNicSelector;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodePolicySpec;
import io.sriov.daemon.state.InterfaceStatus;
import java.util.List;
import java.util.Map;

/** Builders of policies and discovered PFs for the rendering tests (upstream's test fixtures). */
final class Policies {
  private Policies() {}

  static final Map<String, String> SRIOV_CAPABLE =
      Map.of("feature.node.kubernetes.io/network-sriov.capable", "true");

  /** A mutable spec, as upstream's tests write struct literals. */
  static final class Spec {
    String resourceName = "";
    Map<String, String> nodeSelector = SRIOV_CAPABLE;
    int priority;
    int mtu;
    int numVfs;
    String vendor = "";
    String deviceID = "";
    List<String> rootDevices = List.of();
    List<String> pfNames = List.of();
    String netFilter = "";
    String deviceType = "";
    boolean isRdma;
    String linkType = "";
    String eSwitchMode = "";
    String vdpaType = "";
    boolean excludeTopology;
    boolean externallyManaged;
    String created = "2026-01-01T00:00:00Z";

    SriovNetworkNodePolicy build(String name) {
      SriovNetworkNodePolicy p = new SriovNetworkNodePolicy();
      p.setMetadata(
          new ObjectMetaBuilder()
              .withName(name)
              .withNamespace("sriov-network-operator")
              .withCreationTimestamp(created)
              .build());
      p.setSpec(
          new SriovNetworkNodePolicySpec(
              resourceName,
              nodeSelector,
              priority,
              mtu,
              numVfs,
              new SriovNetworkNicSelector(vendor, deviceID, rootDevices, pfNames, netFilter),
              deviceType,
              isRdma,
              false,
              linkType,
              eSwitchMode,
              vdpaType,
              excludeTopology,
              externallyManaged,
              null));
      return p;
    }
  }

  static Spec spec() {
    return new Spec();
  }

  /** Upstream's {@code newNodePolicy()}: p1, priority 99, 2 VFs of ens803f1 (8086), p1res. */
  static SriovNetworkNodePolicy upstreamP1() {
    Spec s = spec();
    s.deviceType = "netdevice";
    s.pfNames = List.of("ens803f1");
    s.rootDevices = List.of("0000:86:00.1");
    s.vendor = "8086";
    s.numVfs = 2;
    s.priority = 99;
    s.resourceName = "p1res";
    return s.build("p1");
  }

  /** A discovered PF. */
  static InterfaceStatus pf(
      String name,
      String pci,
      String vendor,
      String device,
      int numVfs,
      int totalVfs,
      String... altNames) {
    return new InterfaceStatus(
        name,
        "",
        "i40e",
        pci,
        vendor,
        device,
        "",
        1500,
        numVfs,
        "",
        "ETH",
        "up",
        "",
        false,
        totalVfs,
        List.of(),
        List.of(altNames));
  }

  /** Upstream's {@code newNodeState()} status: ens803f0..2, 4 of 64 VFs each. */
  static List<InterfaceStatus> upstreamNode() {
    return List.of(
        pf("ens803f0", "0000:86:00.0", "8086", "158b", 4, 64),
        pf("ens803f1", "0000:86:00.1", "8086", "158b", 4, 64),
        pf("ens803f2", "0000:86:00.2", "8086", "1015", 4, 64));
  }
}
