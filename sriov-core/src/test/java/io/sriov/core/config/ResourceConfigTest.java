package io.sriov.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.NetDeviceSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceConfigTest {

  /** A plain netDevice pool selecting every device. */
  static ResourceConfig pool(String prefix, String name) {
    return new ResourceConfig(
        ResourceName.of(name),
        ResourcePrefix.of(prefix),
        DeviceType.NET_DEVICE,
        false,
        List.of(NetDeviceSelector.all()),
        AdditionalInfo.NONE,
        AllocationPolicy.DEFAULT);
  }

  @Test
  void namesDerivedFromPrefixAndName() {
    ResourceConfig rc = pool("intel.com", "intel_sriov_netdevice");

    assertThat(rc.fullName()).isEqualTo("intel.com/intel_sriov_netdevice");
    assertThat(rc.socketName()).isEqualTo("intel.com_intel_sriov_netdevice.sock");
    assertThat(rc.envNames().info()).isEqualTo("PCIDEVICE_INTEL_COM_INTEL_SRIOV_NETDEVICE_INFO");
  }

  @Test
  void selectorsMustFitTheDeviceTypeAndNotBeEmpty() {
    assertThatThrownBy(
            () ->
                new ResourceConfig(
                    ResourceName.of("a"),
                    ResourcePrefix.INTEL,
                    DeviceType.NET_DEVICE,
                    false,
                    List.of(AcceleratorSelector.all()),
                    AdditionalInfo.NONE,
                    AllocationPolicy.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selector AcceleratorSelector does not fit deviceType netDevice");
    assertThatThrownBy(
            () ->
                new ResourceConfig(
                    ResourceName.of("a"),
                    ResourcePrefix.INTEL,
                    DeviceType.ACCELERATOR,
                    false,
                    List.of(),
                    AdditionalInfo.NONE,
                    AllocationPolicy.DEFAULT))
        .hasMessage("a resource pool needs at least one selector");
  }

  @Test
  void deviceTypeNamesAreExactAndCaseSensitive() {
    assertThat(DeviceType.fromConfigName("netDevice")).contains(DeviceType.NET_DEVICE);
    assertThat(DeviceType.fromConfigName("accelerator")).contains(DeviceType.ACCELERATOR);
    assertThat(DeviceType.fromConfigName("auxNetDevice")).contains(DeviceType.AUX_NET_DEVICE);
    assertThat(DeviceType.fromConfigName("NetDevice")).isEmpty();
    assertThat(DeviceType.AUX_NET_DEVICE).hasToString("auxNetDevice");
  }

  @Test
  void additionalInfoPerDeviceKeysWin() {
    Map<String, Map<String, String>> entries = new LinkedHashMap<>();
    entries.put("*", Map.of("token", "all", "zone", "a"));
    entries.put("0000:86:00.0", Map.of("token", "mine"));
    AdditionalInfo info = new AdditionalInfo(entries);

    assertThat(info.forDevice("0000:86:00.0")).isEqualTo(Map.of("token", "mine", "zone", "a"));
    assertThat(info.forDevice("0000:86:00.1")).isEqualTo(Map.of("token", "all", "zone", "a"));
    assertThat(AdditionalInfo.NONE.forDevice("0000:86:00.0")).isEmpty();
    assertThat(new AdditionalInfo(Map.of("0000:86:00.0", Map.of("k", "v"))).forDevice("x"))
        .isEmpty();
  }
}
