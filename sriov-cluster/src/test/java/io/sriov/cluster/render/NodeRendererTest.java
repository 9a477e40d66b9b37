package io.sriov.cluster.render;

import static io.sriov.cluster.render.Policies.pf;
import static io.sriov.cluster.render.Policies.spec;
import static io.sriov.cluster.render.Policies.upstreamNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkPoolConfig;
import io.sriov.cluster.api.SriovNetworkPoolConfigSpec;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.api.SriovOperatorConfigSpec;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.VfGroupSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The whole per-node rendering: selection, order, merging, pools, rejected policies. */
class NodeRendererTest {
  static final Map<String, String> WORKER =
      Map.of(
          "node-role.kubernetes.io/worker", "",
          "kubernetes.io/os", "linux",
          "feature.node.kubernetes.io/network-sriov.capable", "true");

  final NodeRenderer renderer = new NodeRenderer();

  static SriovOperatorConfig operatorConfig(Map<String, String> daemonSelector) {
    SriovOperatorConfig c = new SriovOperatorConfig();
    c.setMetadata(new ObjectMetaBuilder().withName("default").build());
    c.setSpec(
        new SriovOperatorConfigSpec(
            daemonSelector, false, false, 2, false, false, "daemon", false, null, null, null));
    return c;
  }

  static NodeRenderer.Input input(
      Map<String, String> labels,
      List<InterfaceStatus> pfs,
      List<SriovNetworkPoolConfig> pools,
      SriovNetworkNodePolicy... policies) {
    return new NodeRenderer.Input(
        labels, pfs, List.of(policies), pools, Optional.of(operatorConfig(Map.of())));
  }

  NodeRenderer.Result.Rendered rendered(NodeRenderer.Input in) {
    return (NodeRenderer.Result.Rendered) renderer.render(in);
  }

  static SriovNetworkNodePolicy policy(
      String name, int priority, String pfName, int numVfs, String resource) {
    Policies.Spec s = spec();
    s.pfNames = List.of(pfName);
    s.numVfs = numVfs;
    s.priority = priority;
    s.resourceName = resource;
    return s.build(name);
  }

  static InterfaceSpec iface(String name, String pci, int numVfs, int mtu, VfGroupSpec... groups) {
    return new InterfaceSpec(pci, numVfs, mtu, name, "", "", List.of(groups), false);
  }

  static VfGroupSpec net(String resource, String range, String policy, int mtu) {
    return new VfGroupSpec(resource, "netdevice", range, policy, mtu, false, "");
  }

  @Test
  void withoutTheDefaultOperatorConfigNothingIsRendered() {
    NodeRenderer.Result r =
        renderer.render(
            new NodeRenderer.Input(
                WORKER,
                upstreamNode(),
                List.of(policy("a", 0, "ens803f0", 2, "r")),
                List.of(),
                Optional.empty()));
    assertThat(r)
        .isEqualTo(
            new NodeRenderer.Result.Waiting(
                "no SriovOperatorConfig named default: policies are not rendered until it exists"));
  }

  @Test
  void aNodeOutsideTheDefaultDaemonSelectorGetsAnEmptySpec() {
    Map<String, String> notWorker =
        Map.of("feature.node.kubernetes.io/network-sriov.capable", "true");
    var r =
        rendered(input(notWorker, upstreamNode(), List.of(), policy("a", 0, "ens803f0", 2, "r")));
    assertThat(r.spec().interfaces()).isEmpty();
    assertThat(r.notes())
        .singleElement()
        .asString()
        .startsWith("node not selected by configDaemonNodeSelector");
  }

  @Test
  void theConfigDaemonNodeSelectorReplacesTheDefault() {
    var in =
        new NodeRenderer.Input(
            Map.of("sriov", "yes", "feature.node.kubernetes.io/network-sriov.capable", "true"),
            upstreamNode(),
            List.of(policy("a", 0, "ens803f0", 2, "r")),
            List.of(),
            Optional.of(operatorConfig(Map.of("sriov", "yes"))));
    assertThat(rendered(in).spec().interfaces())
        .containsExactly(iface("ens803f0", "0000:86:00.0", 2, 0, net("r", "0-1", "a", 0)));
  }

  @Test
  void lowerPriorityNumberWinsBecauseItIsAppliedLast() {
    // two policies on one PF without ranges would be rejected (see the overlap test): the broad
    // one selects by vendor, the specific one by name
    Policies.Spec broad = spec();
    broad.vendor = "8086";
    broad.numVfs = 2;
    broad.priority = 50;
    broad.resourceName = "loser";
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(),
                policy("low-wins", 10, "ens803f0", 3, "winner"),
                broad.build("high")));
    assertThat(r.applied()).containsExactly("high", "low-wins");
    assertThat(r.spec().interfaces())
        .containsExactly(
            iface("ens803f0", "0000:86:00.0", 3, 0, net("winner", "0-2", "low-wins", 0)),
            iface("ens803f1", "0000:86:00.1", 2, 0, net("loser", "0-1", "high", 0)),
            iface("ens803f2", "0000:86:00.2", 2, 0, net("loser", "0-1", "high", 0)));
  }

  @Test
  void twoPoliciesOnOnePfWithoutRangesConflict() {
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(),
                policy("b", 10, "ens803f0", 3, "rb"),
                policy("a", 50, "ens803f0", 2, "ra")));
    assertThat(r.applied()).containsExactly("a");
    assertThat(r.rejected())
        .containsExactly(
            new PolicyProblem(
                "b", "VF index range in ens803f0 is overlapped with existing policy a"));
  }

  @Test
  void equalPriorityPartitionsMergeWithTheMaxOfMtuAndNumVfs() {
    Policies.Spec a = spec(); // applied first (same priority: by name)
    a.pfNames = List.of("ens803f0#4-7");
    a.numVfs = 8;
    a.mtu = 1500;
    a.resourceName = "ra";
    Policies.Spec b = spec(); // applied last, fewer VFs and a larger MTU
    b.pfNames = List.of("ens803f0#0-3");
    b.numVfs = 4;
    b.mtu = 9000;
    b.resourceName = "rb";
    var r = rendered(input(WORKER, upstreamNode(), List.of(), b.build("b"), a.build("a")));
    assertThat(r.applied()).containsExactly("a", "b");
    assertThat(r.spec().interfaces())
        .containsExactly(
            iface(
                "ens803f0",
                "0000:86:00.0",
                8,
                9000,
                net("rb", "0-3", "b", 9000),
                net("ra", "4-7", "a", 1500)));
  }

  @Test
  void anOverlapAcrossPrioritiesRejectsTheLaterCreated() {
    Policies.Spec a = spec();
    a.pfNames = List.of("ens803f0#0-7");
    a.numVfs = 8;
    a.mtu = 9000;
    a.priority = 50;
    a.resourceName = "ra";
    Policies.Spec b = spec();
    b.pfNames = List.of("ens803f0#0-3");
    b.numVfs = 4;
    b.priority = 10;
    b.resourceName = "rb";
    b.created = "2025-01-01T00:00:00Z"; // created first: a, overlapping it, is the one rejected
    var r = rendered(input(WORKER, upstreamNode(), List.of(), a.build("a"), b.build("b")));
    assertThat(r.rejected()).extracting(PolicyProblem::policy).containsExactly("a");
  }

  @Test
  void theDefaultPolicyAndUnselectedPoliciesAreIgnored() {
    Policies.Spec other = spec();
    other.nodeSelector = Map.of("zone", "b");
    other.pfNames = List.of("ens803f1");
    other.numVfs = 2;
    other.resourceName = "other";
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(),
                policy("default", 0, "ens803f0", 2, "legacy"),
                other.build("other-zone")));
    assertThat(r.spec().interfaces()).isEmpty();
    assertThat(r.rejected()).isEmpty();
  }

  @Test
  void vendorAndDeviceIdSelectOnlyMatchingPfs() {
    Policies.Spec s = spec();
    s.vendor = "8086";
    s.deviceID = "1015";
    s.numVfs = 2;
    s.resourceName = "r";
    var r = rendered(input(WORKER, upstreamNode(), List.of(), s.build("by-model")));
    assertThat(r.spec().interfaces()).extracting(InterfaceSpec::name).containsExactly("ens803f2");
  }

  @Test
  void rootDevicesAndAltnamesSelect() {
    Policies.Spec byRoot = spec();
    byRoot.rootDevices = List.of("0000:86:00.1");
    byRoot.numVfs = 1;
    byRoot.resourceName = "root";
    Policies.Spec byAlt = spec();
    byAlt.pfNames = List.of("enp134s0f2");
    byAlt.numVfs = 1;
    byAlt.resourceName = "alt";
    List<InterfaceStatus> pfs =
        List.of(
            pf("ens803f1", "0000:86:00.1", "8086", "158b", 0, 64),
            pf("ens803f2", "0000:86:00.2", "8086", "158b", 0, 64, "enp134s0f2"));
    var r = rendered(input(WORKER, pfs, List.of(), byRoot.build("root"), byAlt.build("alt")));
    assertThat(r.spec().interfaces())
        .extracting(InterfaceSpec::name)
        .containsExactlyInAnyOrder("ens803f1", "ens803f2");
  }

  @Test
  void netFilterMatchesTheFirstKeyValue() {
    Policies.Spec s = spec();
    s.netFilter = "openstack/NetworkID:ada9ec67-2c97-467c-b674-c47200e2f5da";
    s.numVfs = 1;
    s.resourceName = "r";
    InterfaceStatus match =
        new InterfaceStatus(
            "ens3",
            "",
            "virtio",
            "0000:00:04.0",
            "8086",
            "154c",
            "openstack/NetworkID:ada9ec67-2c97-467c-b674-c47200e2f5da",
            1500,
            1,
            "",
            "ETH",
            "up",
            "",
            false,
            1,
            List.of(),
            List.of());
    InterfaceStatus other =
        new InterfaceStatus(
            "ens4",
            "",
            "virtio",
            "0000:00:05.0",
            "8086",
            "154c",
            "openstack/NetworkID:other",
            1500,
            1,
            "",
            "ETH",
            "up",
            "",
            false,
            1,
            List.of(),
            List.of());
    var r = rendered(input(WORKER, List.of(match, other), List.of(), s.build("vm")));
    assertThat(r.spec().interfaces()).extracting(InterfaceSpec::name).containsExactly("ens3");
  }

  static SriovNetworkPoolConfig pool(String name, Map<String, String> match, String rdmaMode) {
    SriovNetworkPoolConfig p = new SriovNetworkPoolConfig();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    p.setSpec(
        new SriovNetworkPoolConfigSpec(
            null, new LabelSelectorBuilder().withMatchLabels(match).build(), null, rdmaMode));
    return p;
  }

  @Test
  void thePoolsRdmaModeGoesToSystem() {
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(pool("rdma", Map.of("kubernetes.io/os", "linux"), "exclusive"))));
    assertThat(r.spec().system()).isEqualTo(Map.of("rdmaMode", "exclusive"));
  }

  @Test
  void aNodeInTwoPoolsIsReportedAndGetsNoRdmaMode() {
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(
                    pool("b", Map.of("kubernetes.io/os", "linux"), "shared"),
                    pool("a", Map.of("node-role.kubernetes.io/worker", ""), "exclusive"))));
    assertThat(r.spec().system()).isEmpty();
    assertThat(r.notes())
        .containsExactly(
            "node selected by SriovNetworkPoolConfigs a, b: a node must belong to at most one pool");
  }

  @Test
  void aPolicyOverTheIntelTotalVfsIsRejectedAndTheOthersApply() {
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(),
                policy("too-many", 0, "ens803f0", 65, "r"),
                policy("fine", 0, "ens803f1", 2, "f")));
    assertThat(r.rejected())
        .containsExactly(
            new PolicyProblem(
                "too-many",
                "numVfs(65) in CR too-many exceed the maximum allowed value(64) interface(ens803f0)"));
    assertThat(r.applied()).containsExactly("fine");
    assertThat(r.rejected().get(0).render())
        .isEqualTo(
            "policy too-many: numVfs(65) in CR too-many exceed the maximum allowed value(64)"
                + " interface(ens803f0)");
  }

  @Test
  void ofTwoOverlappingPoliciesTheLaterCreatedIsRejected() {
    Policies.Spec first = spec();
    first.pfNames = List.of("ens803f0#0-3");
    first.numVfs = 8;
    first.resourceName = "first";
    first.created = "2026-01-01T00:00:00Z";
    Policies.Spec second = spec();
    second.pfNames = List.of("ens803f0#2-5");
    second.numVfs = 8;
    second.resourceName = "second";
    second.created = "2026-01-02T00:00:00Z";
    var r =
        rendered(
            input(
                WORKER,
                upstreamNode(),
                List.of(),
                second.build("a-second"),
                first.build("z-first")));
    assertThat(r.applied()).containsExactly("z-first");
    assertThat(r.rejected())
        .containsExactly(
            new PolicyProblem(
                "a-second",
                "VF index range in ens803f0#2-5 is overlapped with existing policy z-first"));
  }

  @Test
  void staticChecksUseTheWebhooksMessages() {
    Map<String, Policies.Spec> cases = new HashMap<>();
    Policies.Spec rdma = spec();
    rdma.pfNames = List.of("ens803f0");
    rdma.numVfs = 2;
    rdma.resourceName = "r";
    rdma.deviceType = "vfio-pci";
    rdma.isRdma = true;
    Policies.Spec badName = spec();
    badName.pfNames = List.of("ens803f0");
    badName.numVfs = 2;
    badName.resourceName = "-bad";
    Policies.Spec noNic = spec();
    noNic.numVfs = 2;
    noNic.resourceName = "r";
    Policies.Spec zero = spec();
    zero.pfNames = List.of("ens803f0");
    zero.resourceName = "r";
    Policies.Spec rangeTooFar = spec();
    rangeTooFar.pfNames = List.of("ens803f0#0-4");
    rangeTooFar.numVfs = 4;
    rangeTooFar.resourceName = "r";
    Policies.Spec vdpaNoSwitchdev = spec();
    vdpaNoSwitchdev.pfNames = List.of("ens803f0");
    vdpaNoSwitchdev.numVfs = 2;
    vdpaNoSwitchdev.resourceName = "r";
    vdpaNoSwitchdev.vdpaType = "virtio";
    Map<String, String> expected =
        Map.of(
            "rdma",
            "'deviceType: vfio-pci' conflicts with 'isRdma: true'; Set 'deviceType' to"
                + " (string)'netdevice' Or Set 'isRdma' to (bool)'false'",
            "bad-name",
            "resource name \"-bad\" is invalid: must consist of alphanumeric characters or hyphens,"
                + " and must start and end with an alphanumeric character (e.g. 'myresource',"
                + " 'net-device-1'), see"
                + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
            "no-nic",
            "at least one of these parameters (vendor, deviceID, pfNames, rootDevices or netFilter)"
                + " has to be defined in nicSelector in CR no-nic",
            "zero",
            "numVfs(0) in CR zero is not allowed",
            "range-too-far",
            "failed to parse ens803f0#0-4 PF name nicSelector, end range exceeds the maximum VF index ",
            "vdpa",
            "vdpa requires the device to be configured in switchdev mode");
    cases.put("rdma", rdma);
    cases.put("bad-name", badName);
    cases.put("no-nic", noNic);
    cases.put("zero", zero);
    cases.put("range-too-far", rangeTooFar);
    cases.put("vdpa", vdpaNoSwitchdev);
    for (var e : cases.entrySet()) {
      var r = rendered(input(WORKER, upstreamNode(), List.of(), e.getValue().build(e.getKey())));
      assertThat(r.rejected())
          .as(e.getKey())
          .containsExactly(new PolicyProblem(e.getKey(), expected.get(e.getKey())));
      assertThat(r.spec().interfaces()).as(e.getKey()).isEmpty();
    }
  }

  @Test
  void externallyManagedChecksAgainstTheExistingVfs() {
    Policies.Spec s = spec();
    s.pfNames = List.of("ens803f0");
    s.numVfs = 5;
    s.resourceName = "r";
    s.externallyManaged = true;
    var r = rendered(input(WORKER, upstreamNode(), List.of(), s.build("ext")));
    assertThat(r.rejected())
        .containsExactly(
            new PolicyProblem(
                "ext",
                "numVfs(5) in CR ext is higher than the virtual functions allocated for the PF"
                    + " externally value(4)"));
  }
}
