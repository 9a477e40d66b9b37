package io.sriov.deviceplugin.preferred;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.device.Device;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreferredAllocatorTest {
  // NUMA 0: PF a (3 VFs), PF b (2 VFs). NUMA 1: PF c (4 VFs).
  private static final List<Device> DEVICES = new ArrayList<>();

  static {
    for (int i = 0; i < 3; i++) {
      DEVICES.add(vf("0000:0a:00.0", "pfa", i).numa(0).build());
    }
    for (int i = 0; i < 2; i++) {
      DEVICES.add(vf("0000:0b:00.0", "pfb", i).numa(0).build());
    }
    for (int i = 0; i < 4; i++) {
      DEVICES.add(vf("0000:0c:00.0", "pfc", i).numa(1).build());
    }
  }

  private static final List<String> ALL = DEVICES.stream().map(Device::id).toList();
  private final PreferredAllocator allocator = new PreferredAllocator();

  private static PreparedPool pool(AllocationPolicy policy, boolean excludeTopology) {
    PoolSpec spec =
        new PoolSpec(
            "intel.com", "p", DeviceKind.NET_DEVICE, excludeTopology, AdditionalInfo.NONE, policy);
    return PreparedPool.prepare(
        new ResourcePool(spec, DEVICES),
        new InfoProviders(
            new DeviceNodes(new SysfsRoot(Path.of("/nonexistent"), Path.of("/nonexistent")))));
  }

  @Test
  void spreadTakesOneDeviceFromEachPfOfTheLargestNumaNode() {
    assertThat(allocator.choose(pool(AllocationPolicy.SPREAD, false), ALL, List.of(), 2))
        .containsExactly("0000:0a:02.0", "0000:0b:02.0");
  }

  @Test
  void packTakesTheTightestPfThatFitsTheWholeRequest() {
    assertThat(allocator.choose(pool(AllocationPolicy.PACK, false), ALL, List.of(), 2))
        .containsExactly("0000:0b:02.0", "0000:0b:02.1");
  }

  @Test
  void packSpillsOverToTheLargestPfWhenNoneFits() {
    assertThat(allocator.choose(pool(AllocationPolicy.PACK, false), ALL, List.of(), 5))
        .containsExactly(
            "0000:0a:02.0", "0000:0a:02.1", "0000:0a:02.2", "0000:0b:02.0", "0000:0b:02.1");
  }

  @Test
  void mustIncludeDevicesPullTheRestOntoTheirNumaNode() {
    assertThat(
            allocator.choose(pool(AllocationPolicy.SPREAD, false), ALL, List.of("0000:0c:02.2"), 3))
        .containsExactly("0000:0c:02.2", "0000:0c:02.0", "0000:0c:02.1");
    assertThat(
            allocator.choose(pool(AllocationPolicy.PACK, false), ALL, List.of("0000:0a:02.1"), 2))
        .containsExactly("0000:0a:02.1", "0000:0a:02.0");
  }

  @Test
  void numaIsIgnoredWhenTopologyIsExcluded() {
    // Without NUMA, spread picks across all three PFs.
    assertThat(allocator.choose(pool(AllocationPolicy.SPREAD, true), ALL, List.of(), 3))
        .containsExactly("0000:0c:02.0", "0000:0a:02.0", "0000:0b:02.0");
  }

  @Test
  void onlyAvailableDevicesAreChosenAndUnknownIdsComeLast() {
    List<String> available = List.of("0000:0c:02.3", "0000:ff:1f.7", "0000:0a:02.2");
    assertThat(allocator.choose(pool(AllocationPolicy.SPREAD, false), available, List.of(), 3))
        .containsExactly("0000:0a:02.2", "0000:0c:02.3", "0000:ff:1f.7");
  }

  @Test
  void sizeAlreadyCoveredByMustIncludeReturnsThem() {
    assertThat(
            allocator.choose(
                pool(AllocationPolicy.SPREAD, false),
                ALL,
                List.of("0000:0b:02.1", "0000:0c:02.0"),
                2))
        .containsExactly("0000:0b:02.1", "0000:0c:02.0");
  }
}
