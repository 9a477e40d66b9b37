package io.sriov.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.testing.Prerequisites;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.sysfs.KernelSysfsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real node over a test tree: what it opens for each option. rtnetlink and the monitors are the
 * real kernel's (any process may open them in its own namespace).
 */
class HostNodeTest {
  @TempDir Path tmp;

  @Test
  void withoutEventsOrDevlinkOpensRtnetlinkAndNothingElse() throws Exception {
    Files.createDirectories(tmp.resolve("sys/bus/pci/devices"));
    try (HostNode node = HostNode.open(new NodeOptions(tmp, false, false))) {
      assertThat(node.label()).isEqualTo("node " + tmp.resolve("sys"));
      assertThat(node.simulated()).isFalse();
      assertThat(node.root().sys()).isEqualTo(tmp.resolve("sys"));
      assertThat(node.root().dev()).isEqualTo(tmp.resolve("dev"));
      assertThat(node.links()).isEmpty();
      assertThat(node.deviceEvents()).isEmpty();
      assertThat(node.defaultRouteEvents()).isEmpty();
      assertThat(node.devlink()).isEmpty();
      assertThat(node.rtnl()).isPresent();
      assertThat(node.rtnlNamespaces().orElseThrow().hostNamespace())
          .isEqualTo(KernelRtnlNamespaces.PROCESS_NAMESPACE);
      assertThat(node.rtnlNamespaces().orElseThrow())
          .as("one instance for every caller: its kept sockets and spare thread are shared")
          .isSameAs(node.rtnlNamespaces().orElseThrow());
      assertThat(node.sysfsWriter()).isInstanceOf(KernelSysfsWriter.class);
      assertThat(node.discovery().discoverAll().devices()).isEmpty();
      // The look-up reads this namespace's routes: it works, whatever they are.
      assertThat(node.defaultRouteLinks().names()).isNotNull();
    }
  }

  @Test
  void withEventsStartsTheThreeMonitorsAndCloseIsIdempotent() throws Exception {
    Prerequisites.require(
        Prerequisites.isRoot(), "the kernel uevent socket", "not running as root");
    Files.createDirectories(tmp.resolve("sys/bus/pci/devices"));
    HostNode node = HostNode.open(new NodeOptions(tmp, true, false));
    assertThat(node.links()).isPresent();
    assertThat(node.deviceEvents()).isPresent();
    assertThat(node.defaultRouteEvents()).isPresent();
    node.close();
    node.close();
    // The writer's threads are gone with the node.
    assertThatThrownBy(() -> node.sysfsWriter().write(tmp.resolve("x"), "1", Duration.ofSeconds(1)))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void aRootWithoutPciDevicesIsRefusedByName() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.createDirectories(tmp.resolve("nopci/sys/bus/pci"));
    assertThatThrownBy(() -> HostNode.open(new NodeOptions(empty, false, false)))
        .isInstanceOf(NodeOpenException.class)
        .hasMessage(
            empty
                + "/sys/bus/pci/devices does not exist, so this is not the root of a sysfs (the"
                + " default / holds /sys/bus/pci/devices)");
    assertThatThrownBy(() -> HostNode.open(new NodeOptions(tmp.resolve("absent"), false, false)))
        .isInstanceOf(NodeOpenException.class)
        .hasMessageStartingWith(tmp.resolve("absent") + "/sys/bus/pci/devices does not exist");
    assertThatThrownBy(() -> HostNode.open(new NodeOptions(tmp.resolve("nopci"), false, false)))
        .isInstanceOf(NodeOpenException.class);
  }

  @Test
  void optionsNeedARootAndDefaultToTheWholeNode() {
    assertThatThrownBy(() -> new NodeOptions(null, true, true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sysfsRoot");
    assertThat(NodeOptions.defaults()).isEqualTo(new NodeOptions(Path.of("/"), true, true));
    assertThat(NodeOptions.defaults().withSysfsRoot(tmp).withEvents(false).withDevlink(false))
        .isEqualTo(new NodeOptions(tmp, false, false));
  }
}
