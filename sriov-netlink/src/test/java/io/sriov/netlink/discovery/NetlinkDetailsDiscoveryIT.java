package io.sriov.netlink.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.testing.TestDevices;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.devlink.DevlinkClient;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.testing.Kernel;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decorator over the real kernel's link dump, in the HOST namespace (where discovery's netdev
 * names live): a veth pair with altnames added by {@code ip link property add}, named as a fake
 * delegate's netdevs. The veth pair is always deleted afterwards.
 */
class NetlinkDetailsDiscoveryIT {

  private static final long PID = ProcessHandle.current().pid();
  private static final String A = "sriovalt" + PID;
  private static final String B = "sriovalu" + PID;
  private static final String ALT = "sriovalt" + PID + "x";
  private static final String LONG_ALT = "sriov-altname-longer-than-ifnamsiz-" + PID;

  private boolean created;

  @BeforeEach
  void vethWithAltNames() {
    Kernel.require();
    Kernel.run("ip", "link", "add", A, "type", "veth", "peer", "name", B);
    created = true;
    Kernel.run("ip", "link", "property", "add", "dev", A, "altname", ALT);
    Kernel.run("ip", "link", "property", "add", "dev", A, "altname", LONG_ALT);
  }

  @AfterEach
  void deleteVeth() {
    if (created) {
      Kernel.run("ip", "link", "del", A);
    }
  }

  private static PciNetDevice device(String address, String netdev) {
    return TestDevices.net(address)
        .build()
        .withNetdev(
            Optional.of(
                NetInterface.ether(
                    InterfaceName.of(netdev), MacAddress.parse("02:00:00:00:00:01"), 1500, true)));
  }

  private static PciNetDevice netdevOf(DeviceDiscovery.Result r, String id) {
    return r.devices().stream()
        .filter(d -> d.id().equals(id))
        .map(PciNetDevice.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void altNamesFromTheKernelsLinkDumpLandOnTheNamedNetdev() throws Exception {
    // ip's own view first: the kernel holds both names.
    assertThat(ipAltNames()).containsExactly(ALT, LONG_ALT);

    List<Device> devices = List.of(device("0000:af:00.0", A), device("0000:af:00.1", B));
    DeviceDiscovery delegate =
        new DeviceDiscovery() {
          @Override
          public Result discoverAll() {
            return new Result(devices, List.of());
          }

          @Override
          public Result discoverPf(PciAddress pf) {
            return new Result(
                devices.stream().filter(d -> d.id().equals(pf.toString())).toList(), List.of());
          }
        };

    Optional<DevlinkClient> devlink = DevlinkClient.open();
    try (RtnlClient rtnl = RtnlClient.open()) {
      NetlinkDetailsDiscovery discovery =
          new NetlinkDetailsDiscovery(delegate, rtnl, devlink.map(DevlinkOperations.class::cast));

      DeviceDiscovery.Result all = discovery.discoverAll();
      assertThat(netdevOf(all, "0000:af:00.0").netdev().orElseThrow().altNames())
          .containsExactly(ALT, LONG_ALT);
      assertThat(netdevOf(all, "0000:af:00.1").netdev().orElseThrow().altNames()).isEmpty();
      assertThat(netdevOf(all, "0000:af:00.0").ddpProfile())
          .as("a veth has no devlink instance")
          .isEmpty();

      DeviceDiscovery.Result one = discovery.discoverPf(PciAddress.parse("0000:af:00.0"));
      assertThat(one.devices()).hasSize(1);
      assertThat(netdevOf(one, "0000:af:00.0").netdev().orElseThrow().altNames())
          .containsExactly(ALT, LONG_ALT);

      Kernel.run("ip", "link", "property", "del", "dev", A, "altname", ALT);
      assertThat(
              netdevOf(discovery.discoverAll(), "0000:af:00.0").netdev().orElseThrow().altNames())
          .as("each walk reads the kernel again")
          .containsExactly(LONG_ALT);
    } finally {
      devlink.ifPresent(DevlinkClient::close);
    }
  }

  /** {@code ip -j link show dev A}'s altnames. */
  private static List<String> ipAltNames() {
    String out = Kernel.run("ip", "-j", "link", "show", "dev", A);
    try {
      JsonNode link = new ObjectMapper().readTree(out).get(0);
      return StreamSupport.stream(link.path("altnames").spliterator(), false)
          .map(JsonNode::asText)
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
