package io.sriov.deviceplugin.config;

import static io.sriov.deviceplugin.testing.TestDevices.pf;
import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.device.Device;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.node.DefaultRouteLinks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConfigPoolPlannerTest {
  private final List<Device> devices =
      List.of(
          pf("0000:af:00.0", "ens1f0", 2),
          pf("0000:af:00.1", "ens1f1", 0),
          vf("0000:af:00.0", "ens1f0", 0).build(),
          vf("0000:af:00.0", "ens1f0", 1).driver("vfio-pci").iommu(5, false).build());

  private final DeviceDiscovery discovery =
      new DeviceDiscovery() {
        @Override
        public Result discoverAll() {
          return new Result(devices, List.of(new Skipped("0000:00:1f.6", "driver link dangling")));
        }

        @Override
        public Result discoverPf(PciAddress pf) {
          throw new UnsupportedOperationException();
        }
      };

  /** What the route source answers, and how often it was asked. */
  private Set<String> uplinks = Set.of();

  private final AtomicInteger routeLookups = new AtomicInteger();

  private final ConfigPoolPlanner planner =
      new ConfigPoolPlanner(
          discovery,
          () -> {
            routeLookups.incrementAndGet();
            return uplinks;
          });

  /** The config as the app reads it from {@code /etc/pcidp/config.json}, then the plan. */
  private static PoolPlanner.Plan plan(ConfigPoolPlanner p, String text) {
    return p.plan(DevicePluginConfig.parse(text, "/etc/pcidp/config.json", ResourcePrefix.INTEL));
  }

  private static final String ALL =
      "{\"resourceList\": [{\"resourceName\": \"all\", \"selectors\": {}}]}";

  private static final String REASON = "carries the IPv4 default route";

  @Test
  void plainNicWithTheDefaultRouteIsExcludedOthersKept() {
    uplinks = Set.of("ens1f1");
    PoolPlanner.Plan plan = plan(planner, ALL);
    assertThat(plan.pools().getFirst().devices())
        .extracting(Device::id)
        .containsExactly("0000:af:02.0", "0000:af:02.1");
    assertThat(plan.excluded())
        .containsExactly(new PoolPlanner.Excluded("0000:af:00.1", "ens1f1", REASON));
    assertThat(plan.discovered()).contains("0000:af:00.1");
    assertThat(routeLookups).hasValue(1);
  }

  @Test
  void vfsOfTheUplinkPfAreStillOffered() {
    // Upstream checks each device's own netdev: the PF is the uplink, its VFs are not.
    uplinks = Set.of("ens1f0");
    PoolPlanner.Plan plan = plan(planner, ALL);
    assertThat(plan.pools().getFirst().devices())
        .extracting(Device::id)
        .containsExactly("0000:af:00.1", "0000:af:02.0", "0000:af:02.1");
    assertThat(plan.excluded())
        .containsExactly(new PoolPlanner.Excluded("0000:af:00.0", "ens1f0", REASON));
  }

  @Test
  void vfWhoseOwnNetdevCarriesTheDefaultRouteIsExcluded() {
    uplinks = Set.of("ens1f0v0", "eno1");
    PoolPlanner.Plan plan = plan(planner, ALL);
    assertThat(plan.pools().getFirst().devices())
        .extracting(Device::id)
        .containsExactly("0000:af:00.1", "0000:af:02.1");
    assertThat(plan.excluded())
        .containsExactly(new PoolPlanner.Excluded("0000:af:02.0", "ens1f0v0", REASON));
  }

  @Test
  void noDefaultRouteExcludesNothingAndRoutesAreReadOncePerPlan() {
    PoolPlanner.Plan plan = plan(planner, ALL);
    assertThat(plan.pools().getFirst().devices())
        .extracting(Device::id)
        .containsExactly("0000:af:00.1", "0000:af:02.0", "0000:af:02.1");
    assertThat(plan.excluded()).isEmpty();
    plan(planner, ALL);
    assertThat(routeLookups).hasValue(2);
  }

  @Test
  void exclusionIsLoggedAtInfoWhenTheSetChangesNotAtEveryRescan() {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      uplinks = Set.of("ens1f1");
      plan(planner, ALL);
      plan(planner, ALL);
      uplinks = Set.of("ens1f0v0");
      plan(planner, ALL);
    } finally {
      System.setErr(saved);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("INFO")))
        .containsExactly(
            "[main] INFO io.sriov.deviceplugin.config.ConfigPoolPlanner - excluded"
                + " pci=0000:af:00.1 netdev=ens1f1 reason=\"carries the IPv4 default route\"",
            "[main] INFO io.sriov.deviceplugin.config.ConfigPoolPlanner - excluded"
                + " pci=0000:af:02.0 netdev=ens1f0v0 reason=\"carries the IPv4 default route\"");
  }

  @Test
  void unreadableRoutesFailThePlanWithTheNetlinkError() {
    ConfigPoolPlanner failing =
        new ConfigPoolPlanner(
            discovery,
            () -> {
              throw new DefaultRouteLinks.LookupException(
                  "IPv4 default routes: RTM_GETROUTE dump: EPERM", null);
            });
    assertThatThrownBy(() -> plan(failing, ALL))
        .isInstanceOf(PlanException.class)
        .hasMessage("IPv4 default routes: RTM_GETROUTE dump: EPERM");
  }

  @Test
  void assignsDevicesWithSelectorNeedsPolicyAndAdditionalInfo() {
    PoolPlanner.Plan plan =
        plan(
            planner,
            """
            {"resourceList": [
              {"resourceName": "dpdk", "allocationPolicy": "pack", "carrierHealth": false,
               "selectors": {"drivers": ["vfio-pci"], "needVhostNet": true},
               "additionalInfo": {"*": {"k": "v"}}},
              {"resourceName": "net", "excludeTopology": true,
               "selectors": {"vendors": ["8086"]}}
            ]}
            """);
    assertThat(plan.pools()).hasSize(2);
    ResourcePool dpdk = plan.pools().get(0);
    assertThat(dpdk.spec().fullName()).isEqualTo("intel.com/dpdk");
    assertThat(dpdk.spec().policy()).isEqualTo(AllocationPolicy.PACK);
    assertThat(dpdk.spec().carrierHealth()).isFalse();
    assertThat(plan.pools().get(1).spec().carrierHealth()).isTrue();
    assertThat(plan.warnings()).noneMatch(w -> w.contains("carrierHealth"));
    assertThat(dpdk.spec().additionalInfo().forDevice("0000:af:02.1"))
        .containsExactly(Map.entry("k", "v"));
    assertThat(dpdk.devices()).extracting(Device::id).containsExactly("0000:af:02.1");
    assertThat(dpdk.needsOf(dpdk.devices().get(0)))
        .isEqualTo(new DeviceNeeds(false, true, Optional.empty()));

    ResourcePool net = plan.pools().get(1);
    assertThat(net.spec().excludeTopology()).isTrue();
    assertThat(net.spec().policy()).isEqualTo(AllocationPolicy.SPREAD);
    // The PF with VFs is never handed out; the PF without VFs is.
    assertThat(net.devices())
        .extracting(Device::id)
        .containsExactly("0000:af:00.1", "0000:af:02.0");
    assertThat(plan.discovered())
        .containsExactlyInAnyOrder("0000:af:00.0", "0000:af:00.1", "0000:af:02.0", "0000:af:02.1");
    // Our own key is not reported as unknown; discovery problems are.
    assertThat(plan.warnings())
        .containsExactly("device 0000:00:1f.6 skipped: driver link dangling");
  }

  @Test
  void emptyResourceListIsAnError() {
    assertThatThrownBy(() -> plan(planner, "{\"resourceList\": []}"))
        .isInstanceOf(PlanException.class)
        .hasMessage("/etc/pcidp/config.json: no resource configuration (resourceList is empty)");
  }

  @Test
  void emptyFileIsAnError() {
    assertThatThrownBy(() -> plan(planner, ""))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "/etc/pcidp/config.json: document is empty (expected an object with a resourceList array)");
  }

  @Test
  void duplicateResourceNameIsAnError() {
    assertThatThrownBy(
            () ->
                plan(
                    planner,
                    "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}},"
                        + " {\"resourceName\": \"a\", \"selectors\": {}}]}"))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "/etc/pcidp/config.json: resourceList[1].resourceName: \"a\" is already used by"
                + " resourceList[0] under prefix intel.com");
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> plan(planner, "{\"resourceList\": [,]}"))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("/etc/pcidp/config.json: line 1, column 19: malformed JSON: ");
  }

  @Test
  void badAllocationPolicyNamesItsPath() {
    assertThatThrownBy(
            () ->
                plan(
                    planner,
                    "{\"resourceList\": [{\"resourceName\": \"a\", \"allocationPolicy\": \"x\","
                        + " \"selectors\": {}}]}"))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "/etc/pcidp/config.json: resourceList[0].allocationPolicy: unknown allocation policy"
                + " \"x\" (valid: spread, pack)");
  }

  @Test
  void twoResourcesSharingADeviceInfoPrefixAreRefused() {
    assertThatThrownBy(
            () ->
                plan(
                    planner,
                    """
                    {"resourceList": [
                      {"resourceName": "a-b", "selectors": {}},
                      {"resourcePrefix": "intel.com-a", "resourceName": "b", "selectors": {}}
                    ]}
                    """))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "/etc/pcidp/config.json: resourceList[1].resourceName: intel.com-a/b and intel.com/a-b"
                + " (resourceList[0]) would share the device-info files"
                + " intel.com-a-b-<device>-device.json; rename one");
  }
}
