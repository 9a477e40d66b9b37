package io.sriov.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.VdpaType;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.AuxNetDeviceSelector;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.core.selector.NetDeviceSelector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every resource list upstream documents parses, and means what upstream says it means. */
class UpstreamExamplesTest {

  static Stream<String> examples() {
    return Stream.of(
        "readme-config.json",
        "readme-selector-object.json",
        "readme-selector-list.json",
        "readme-selector-list-reversed.json",
        "readme-additional-info.json",
        "readme-additional-info-override.json",
        "readme-ranges.json",
        "readme-2019.json",
        "deployments-configmap.json",
        "ddp-e800.json",
        "subfunctions-bf2.json",
        "subfunctions-cx6dx.json");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void parses(String file) {
    ResourceList list = load(file);

    assertThat(list.resources()).isNotEmpty();
    assertThat(list.resources()).allSatisfy(rc -> assertThat(rc.selectors()).isNotEmpty());
  }

  @Test
  void theFullReadmeExample() {
    ResourceList list = load("readme-config.json");

    assertThat(list.resources())
        .extracting(ResourceConfig::fullName)
        .containsExactly(
            "intel.com/intel_sriov_netdevice",
            "intel.com/intel_sriov_dpdk",
            "mellanox.com/mlnx_sriov_rdma",
            "intel.com/infiniband_rdma_netdevs",
            "intel.com/ct6dx_vdpa_vhost",
            "intel.com/intel_fpga",
            "nvidia.com/bf2_sf",
            "intel.com/intel_sriov_netdevice_additional_env",
            "broadcom.com/brcm_sriov_bnxt",
            "intel.com/old_selectors_syntax_example");
    assertThat(list.warnings()).isEmpty();

    NetDeviceSelector dpdk = only(list, 1, NetDeviceSelector.class);
    assertThat(dpdk.needVhostNet()).isTrue();
    assertThat(dpdk.pfNames()).extracting(Object::toString).containsExactly("enp0s0f0", "enp2s2f1");
    assertThat(dpdk.drivers()).extracting(Object::toString).containsExactly("vfio-pci");

    assertThat(only(list, 2, NetDeviceSelector.class).isRdma()).isTrue();
    assertThat(only(list, 3, NetDeviceSelector.class).linkTypes())
        .extracting(Object::toString)
        .containsExactly("infiniband");
    assertThat(only(list, 4, NetDeviceSelector.class).vdpaType()).contains(VdpaType.VHOST);

    assertThat(list.resources().get(5).deviceType()).isEqualTo(DeviceType.ACCELERATOR);
    assertThat(only(list, 5, AcceleratorSelector.class).devices())
        .extracting(Object::toString)
        .containsExactly("0d90");

    AuxNetDeviceSelector sf = only(list, 6, AuxNetDeviceSelector.class);
    assertThat(sf.pfNames()).extracting(Object::toString).containsExactly("p0#1-5");
    assertThat(sf.auxTypes()).containsExactly("sf");

    assertThat(list.resources().get(7).additionalInfo().forDevice("0000:3b:02.6"))
        .isEqualTo(Map.of("token", "3e49019f-412f-4f02-824e-4cd195944205"));
    // single-object selectors syntax, same meaning as a one-element array
    assertThat(list.resources().get(9).selectors()).isEqualTo(list.resources().get(0).selectors());
  }

  @Test
  void selectorListsKeepTheirOrder() {
    List<DeviceSelector> list = load("readme-selector-list.json").resources().get(0).selectors();
    List<DeviceSelector> reversed =
        load("readme-selector-list-reversed.json").resources().get(0).selectors();

    assertThat(list).extracting(DeviceSelector::needVhostNet).containsExactly(false, true);
    assertThat(reversed).extracting(DeviceSelector::needVhostNet).containsExactly(true, false);
  }

  @Test
  void additionalInfoMergesStarWithTheDeviceEntry() {
    AdditionalInfo info = load("readme-additional-info.json").resources().get(0).additionalInfo();
    AdditionalInfo override =
        load("readme-additional-info-override.json").resources().get(0).additionalInfo();

    assertThat(info.forDevice("0000:3b:02.6"))
        .isEqualTo(Map.of("token", "3e49019f-412f-4f02-824e-4cd195944205"));
    assertThat(info.forDevice("0000:86:00.0"))
        .isEqualTo(
            Map.of(
                "token", "3e49019f-412f-4f02-824e-4cd195944205",
                "additional-token", "6e7dc135-7a1c-456f-a008-c2cfb37997be"));
    assertThat(override.forDevice("0000:3b:02.6")).isEqualTo(Map.of("token", "original"));
    assertThat(override.forDevice("0000:86:00.0")).isEqualTo(Map.of("token", "specific"));
  }

  @Test
  void rangeExamples() {
    ResourceList list = load("readme-ranges.json");

    assertThat(only(list, 0, NetDeviceSelector.class).pfNames().get(0).ranges())
        .extracting(Object::toString)
        .containsExactly("0", "2-7", "9");
    assertThat(only(list, 1, NetDeviceSelector.class).rootDevices().get(0).ranges())
        .extracting(Object::toString)
        .containsExactly("0-1", "3", "4");
    assertThat(only(list, 2, NetDeviceSelector.class).rootDevices().get(0).ranges()).isEmpty();
  }

  @Test
  void the2019ExampleParsesButItsPoolLevelIsRdmaIsReportedAsIgnored() {
    ResourceList list = load("readme-2019.json");

    assertThat(list.resources()).hasSize(4);
    assertThat(only(list, 2, NetDeviceSelector.class).isRdma()).isFalse();
    assertThat(list.warnings())
        .containsExactly(
            "resourceList[2].isRdma: a selector key outside \"selectors\", ignored (move it into"
                + " selectors)",
            "resourceList[3].isRdma: a selector key outside \"selectors\", ignored (move it into"
                + " selectors)");
  }

  @Test
  void subFunctionExamples() {
    ResourceList bf2 = load("subfunctions-bf2.json");
    ResourceList cx6 = load("subfunctions-cx6dx.json");

    assertThat(bf2.resources().get(0).deviceType()).isEqualTo(DeviceType.AUX_NET_DEVICE);
    assertThat(cx6.resources())
        .extracting(ResourceConfig::deviceType)
        .containsExactly(DeviceType.NET_DEVICE, DeviceType.AUX_NET_DEVICE);
  }

  @Test
  void ddpExample() {
    ResourceList list = load("ddp-e800.json");

    assertThat(only(list, 1, NetDeviceSelector.class).ddpProfiles())
        .containsExactly("ICE COMMS Package");
  }

  private static <T extends DeviceSelector> T only(ResourceList list, int pool, Class<T> kind) {
    List<DeviceSelector> selectors = list.resources().get(pool).selectors();
    assertThat(selectors).hasSize(1);
    return kind.cast(selectors.get(0));
  }

  /** An example as parsed with the default prefix {@code intel.com}. */
  static ResourceList load(String file) {
    try (InputStream in =
        UpstreamExamplesTest.class.getResourceAsStream("/upstream-examples/" + file)) {
      assertThat(in).as(file).isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new ResourceConfigParser().parse(text, file, ResourcePrefix.INTEL);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
