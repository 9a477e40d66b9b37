package io.sriov.cluster.render;

import static io.sriov.cluster.render.Policies.upstreamNode;
import static io.sriov.cluster.render.Policies.upstreamP1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.VfGroupSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream's {@code TestSriovNetworkNodePolicyApply}, {@code TestVirtioVdpaNodePolicyApply} and
 * {@code TestVhostVdpaNodePolicyApply} (api/v1/helper_test.go), case by case: a node state already
 * rendered by earlier policies, one more policy applied, the expected interfaces.
 */
class PolicyApplicationTest {

  static InterfaceSpec iface(String name, String pci, int numVfs, int mtu, VfGroupSpec... groups) {
    return new InterfaceSpec(pci, numVfs, mtu, name, "", "", List.of(groups), false);
  }

  static VfGroupSpec group(String type, String resource, String range, String policy) {
    return new VfGroupSpec(resource, type, range, policy, 0, false, "");
  }

  static VfGroupSpec vdpa(String resource, String range, String policy, String vdpaType) {
    return new VfGroupSpec(resource, "netdevice", range, policy, 0, false, vdpaType);
  }

  static SriovNetworkNodePolicy vdpaPolicy(String vdpaType, String resource) {
    Policies.Spec s = Policies.spec();
    s.deviceType = "netdevice";
    s.vdpaType = vdpaType;
    s.pfNames = List.of("ens803f1#2-3");
    s.rootDevices = List.of("0000:86:00.1");
    s.vendor = "8086";
    s.numVfs = 4;
    s.priority = 99;
    s.resourceName = resource;
    return s.build("p1");
  }

  static final String NET = "netdevice";
  static final String VFIO = "vfio-pci";
  static final String F0 = "0000:86:00.0";
  static final String F1 = "0000:86:00.1";

  static Stream<Arguments> upstreamCases() {
    return Stream.of(
        Arguments.of(
            "starting config",
            List.of(),
            upstreamP1(),
            false,
            List.of(iface("ens803f1", F1, 2, 0, group(NET, "p1res", "0-1", "p1")))),
        Arguments.of(
            "one policy present different pf",
            List.of(iface("ens803f0", F0, 2, 0, group(NET, "prevres", "0-1", "p2"))),
            upstreamP1(),
            false,
            List.of(
                iface("ens803f0", F0, 2, 0, group(NET, "prevres", "0-1", "p2")),
                iface("ens803f1", F1, 2, 0, group(NET, "p1res", "0-1", "p1")))),
        Arguments.of(
            "one policy present same pf different priority",
            List.of(iface("ens803f1", F1, 3, 0, group(VFIO, "vfiores", "0-1", "p2"))),
            upstreamP1(),
            false,
            List.of(iface("ens803f1", F1, 2, 0, group(NET, "p1res", "0-1", "p1")))),
        Arguments.of(
            "one policy present same pf same priority",
            List.of(iface("ens803f1", F1, 3, 2000, group(VFIO, "vfiores", "0-1", "p2"))),
            upstreamP1(),
            true,
            List.of(iface("ens803f1", F1, 3, 2000, group(NET, "p1res", "0-1", "p1")))),
        Arguments.of(
            "one policy present same pf same priority partitioning",
            List.of(iface("ens803f1", F1, 5, 0, group(VFIO, "vfiores", "2-4", "p2"))),
            upstreamP1(),
            true,
            List.of(
                iface(
                    "ens803f1",
                    F1,
                    5,
                    0,
                    group(NET, "p1res", "0-1", "p1"),
                    group(VFIO, "vfiores", "2-4", "p2")))),
        Arguments.of(
            "one vdpa policy present same pf same priority partitioning",
            List.of(iface("ens803f1", F1, 4, 0, vdpa("vhostvdpa", "0-1", "p2", "vhost"))),
            vdpaPolicy("virtio", "virtiovdpa"),
            true,
            List.of(
                iface(
                    "ens803f1",
                    F1,
                    4,
                    0,
                    vdpa("virtiovdpa", "2-3", "p1", "virtio"),
                    vdpa("vhostvdpa", "0-1", "p2", "vhost")))),
        Arguments.of(
            "two policy present same pf same priority overlap",
            List.of(
                iface(
                    "ens803f1",
                    F1,
                    2,
                    0,
                    group(VFIO, "vfiores1", "0-0", "p2"),
                    group(VFIO, "vfiores2", "1-1", "p3"))),
            upstreamP1(),
            true,
            List.of(iface("ens803f1", F1, 2, 0, group(NET, "p1res", "0-1", "p1")))),
        Arguments.of(
            "one policy present same pf same priority same ResourceName",
            List.of(iface("ens803f1", F1, 4, 0, group(VFIO, "p1res", "2-3", "p2"))),
            upstreamP1(),
            true,
            List.of(iface("ens803f1", F1, 4, 0, group(NET, "p1res", "0-1", "p1")))),
        Arguments.of(
            "one policy present same pf diff priority no overlap VFs",
            List.of(iface("ens803f1", F1, 4, 0, group(VFIO, "p2res", "2-3", "p2"))),
            upstreamP1(),
            false,
            List.of(
                iface(
                    "ens803f1",
                    F1,
                    4,
                    0,
                    group(NET, "p1res", "0-1", "p1"),
                    group(VFIO, "p2res", "2-3", "p2")))),
        Arguments.of("no selectors", List.of(), noSelectors(), false, List.of()),
        Arguments.of(
            "virtio/vdpa configuration",
            List.of(),
            vdpaPolicy("virtio", "virtiovdpa"),
            false,
            List.of(iface("ens803f1", F1, 4, 0, vdpa("virtiovdpa", "2-3", "p1", "virtio")))),
        Arguments.of(
            "vhost/vdpa configuration",
            List.of(),
            vdpaPolicy("vhost", "vhostvdpa"),
            false,
            List.of(iface("ens803f1", F1, 4, 0, vdpa("vhostvdpa", "2-3", "p1", "vhost")))));
  }

  static SriovNetworkNodePolicy noSelectors() {
    Policies.Spec s = Policies.spec();
    s.deviceType = NET;
    s.numVfs = 2;
    s.priority = 99;
    s.resourceName = "p1res";
    return s.build("p1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamCases")
  void upstreamCase(
      String name,
      List<InterfaceSpec> current,
      SriovNetworkNodePolicy policy,
      boolean equalPriority,
      List<InterfaceSpec> expected) {
    List<InterfaceSpec> rendered = new ArrayList<>(current);
    PolicyApplication.apply(policy, upstreamNode(), rendered, equalPriority);
    assertThat(rendered).isEqualTo(expected);
  }

  @Test
  void badPfPartitionIsAnErrorAndRendersNothing() {
    Policies.Spec s = Policies.spec();
    s.deviceType = NET;
    s.pfNames = List.of("ens803f0#a-c");
    s.numVfs = 2;
    s.priority = 99;
    s.resourceName = "p1res";
    List<InterfaceSpec> rendered = new ArrayList<>();
    assertThatThrownBy(
            () -> PolicyApplication.apply(s.build("p1"), upstreamNode(), rendered, false))
        .isInstanceOf(PolicyException.class)
        .hasMessage("failed to parse ens803f0#a-c PF name nicSelector, start range is incorrect");
    assertThat(rendered).isEmpty();
  }

  @Test
  void emptyDeviceTypeRendersTheCrdDefault() {
    Policies.Spec s = Policies.spec();
    s.pfNames = List.of("ens803f0");
    s.numVfs = 1;
    s.resourceName = "r";
    List<InterfaceSpec> rendered = new ArrayList<>();
    PolicyApplication.apply(s.build("p"), upstreamNode(), rendered, false);
    assertThat(rendered.get(0).vfGroups().get(0).deviceType()).isEqualTo("netdevice");
  }

  @Test
  void aRangedAltnameKeepsItsRange() {
    Policies.Spec s = Policies.spec();
    s.pfNames = List.of("enp134s0f1#2-3");
    s.numVfs = 4;
    s.resourceName = "r";
    List<InterfaceSpec> rendered = new ArrayList<>();
    PolicyApplication.apply(
        s.build("p"),
        List.of(Policies.pf("ens803f1", F1, "8086", "158b", 0, 64, "enp134s0f1")),
        rendered,
        false);
    assertThat(rendered).containsExactly(iface("ens803f1", F1, 4, 0, group(NET, "r", "2-3", "p")));
  }

  @Test
  void overlapIsIntervalIntersection() {
    assertThat(PolicyApplication.overlap(group(NET, "a", "0-5", "p"), group(NET, "b", "2-3", "q")))
        .isTrue();
    assertThat(PolicyApplication.overlap(group(NET, "a", "2-3", "p"), group(NET, "b", "0-5", "q")))
        .isTrue();
    assertThat(PolicyApplication.overlap(group(NET, "a", "0-1", "p"), group(NET, "b", "2-3", "q")))
        .isFalse();
    assertThat(PolicyApplication.overlap(group(NET, "a", "0-1", "p"), group(NET, "b", "1-1", "q")))
        .isTrue();
    assertThat(PolicyApplication.overlap(group(NET, "a", "x", "p"), group(NET, "b", "1-1", "q")))
        .isFalse();
  }
}
