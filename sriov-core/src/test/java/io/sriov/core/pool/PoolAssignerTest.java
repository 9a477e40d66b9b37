package io.sriov.core.pool;

import static io.sriov.core.testing.TestDevices.accelerator;
import static io.sriov.core.testing.TestDevices.aux;
import static io.sriov.core.testing.TestDevices.net;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.config.ResourceConfig;
import io.sriov.core.config.ResourceConfigParser;
import io.sriov.core.config.ResourceList;
import io.sriov.core.device.Device;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.VdpaType;
import io.sriov.core.resource.ResourcePrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Selector matching and pool assignment over one table of devices. Selectors are written as config
 * JSON, so each row also exercises the parser's translation of that selector.
 */
class PoolAssignerTest {

  // Intel X710 PF ens1f0 (0000:3b:00.0) and its VFs 0, 1, 7; a VF of ens1f1; the PF itself.
  static final Device VF_A0 = net("0000:3b:02.0").vf("0000:3b:00.0", 0, "ens1f0").build();
  static final Device VF_A1 =
      net("0000:3b:02.1").driver("vfio-pci").vf("0000:3b:00.0", 1, "ens1f0").build();
  static final Device VF_A7 =
      net("0000:3b:02.7").vf("0000:3b:00.0", 7, "ens1f0").ddp("ICE COMMS Package").build();
  static final Device VF_B0 = net("0000:3b:0a.0").vf("0000:3b:00.1", 0, "ens1f1").build();
  static final Device PF_A =
      net("0000:3b:00.0").ids("8086", "1572").driver("i40e").pf(64).acpiIndex(101).build();
  // Mellanox ConnectX-4 VFs on PF enp94s0f0 (0000:5e:00.0).
  static final Device MLX_0 =
      net("0000:5e:00.2")
          .ids("15b3", "1018")
          .driver("mlx5_core")
          .vf("0000:5e:00.0", 0, "enp94s0f0")
          .rdma("mlx5_2")
          .build();
  static final Device MLX_1 =
      net("0000:5e:00.3")
          .ids("15b3", "1018")
          .driver("mlx5_core")
          .vf("0000:5e:00.0", 1, "enp94s0f0")
          .vdpa(VdpaType.VHOST)
          .build();
  static final Device MLX_IB =
      net("0000:5e:00.4")
          .ids("15b3", "1018")
          .driver("mlx5_core")
          .vf("0000:5e:00.0", 2, "enp94s0f0")
          .linkType(LinkType.INFINIBAND)
          .rdma("mlx5_4")
          .pKey("0x8001")
          .build();
  // A VF whose PF has no netdev (PF bound to a userspace driver): no PF name.
  static final Device VF_NO_PF_NAME =
      net("0000:d8:02.3")
          .ids("8086", "1889")
          .driver("vfio-pci")
          .vf("0000:d8:00.0", 3, null)
          .build();
  static final Device FPGA = accelerator("0000:af:00.0", "8086", "0d90");
  static final Device SF_4 = aux("mlx5_core.sf.4", "0000:5e:00.0", "p0", 4, true);
  static final Device SF_9 = aux("mlx5_core.sf.9", "0000:5e:00.0", "p0", 9, false);
  static final Device ETH_1 = aux("mlx5_core.eth.1", "0000:5e:00.1", "p1", null, false);

  static final List<Device> ALL =
      List.of(
          VF_A0,
          VF_A1,
          VF_A7,
          VF_B0,
          PF_A,
          MLX_0,
          MLX_1,
          MLX_IB,
          VF_NO_PF_NAME,
          FPGA,
          SF_4,
          SF_9,
          ETH_1);
  static final List<Device> ALL_NET =
      List.of(VF_A0, VF_A1, VF_A7, VF_B0, PF_A, MLX_0, MLX_1, MLX_IB, VF_NO_PF_NAME);

  private final ResourceConfigParser parser = new ResourceConfigParser();
  private final PoolAssigner assigner = new PoolAssigner();

  static Stream<Arguments> selectorTable() {
    return Stream.of(
        row("net {} takes every PCI net device", "netDevice", "{}", ALL_NET),
        row("vendors", "netDevice", "{\"vendors\":[\"15b3\"]}", List.of(MLX_0, MLX_1, MLX_IB)),
        row(
            "vendors in 0x/upper-case form",
            "netDevice",
            "{\"vendors\":[\"0x15B3\"]}",
            List.of(MLX_0, MLX_1, MLX_IB)),
        row(
            "devices",
            "netDevice",
            "{\"devices\":[\"154c\"]}",
            List.of(VF_A0, VF_A1, VF_A7, VF_B0)),
        row("drivers", "netDevice", "{\"drivers\":[\"vfio-pci\"]}", List.of(VF_A1, VF_NO_PF_NAME)),
        row(
            "pciAddresses",
            "netDevice",
            "{\"pciAddresses\":[\"0000:3b:02.1\",\"0000:5e:00.3\"]}",
            List.of(VF_A1, MLX_1)),
        row("acpiIndexes", "netDevice", "{\"acpiIndexes\":[\"101\"]}", List.of(PF_A)),
        row(
            "pfNames whole PF",
            "netDevice",
            "{\"pfNames\":[\"ens1f0\"]}",
            List.of(VF_A0, VF_A1, VF_A7)),
        row(
            "pfNames single indexes",
            "netDevice",
            "{\"pfNames\":[\"ens1f0#0,7\"]}",
            List.of(VF_A0, VF_A7)),
        row("pfNames range", "netDevice", "{\"pfNames\":[\"ens1f0#1-7\"]}", List.of(VF_A1, VF_A7)),
        row("pfNames range missing all", "netDevice", "{\"pfNames\":[\"ens1f0#2-6\"]}", List.of()),
        row(
            "pfNames case-insensitive",
            "netDevice",
            "{\"pfNames\":[\"ENP94S0F0\"]}",
            List.of(MLX_0, MLX_1, MLX_IB)),
        row(
            "pfNames never matches a device without PF name",
            "netDevice",
            "{\"vendors\":[\"8086\"],\"pfNames\":[\"ens1f0\",\"ens1f1\"]}",
            List.of(VF_A0, VF_A1, VF_A7, VF_B0)),
        row(
            "rootDevices with range",
            "netDevice",
            "{\"rootDevices\":[\"0000:3b:00.0#0-1\"]}",
            List.of(VF_A0, VF_A1)),
        row(
            "rootDevices reaches a VF without PF name",
            "netDevice",
            "{\"rootDevices\":[\"0000:d8:00.0\",\"0000:3b:00.1\"]}",
            List.of(VF_B0, VF_NO_PF_NAME)),
        row("linkTypes", "netDevice", "{\"linkTypes\":[\"infiniband\"]}", List.of(MLX_IB)),
        row(
            "ddpProfiles",
            "netDevice",
            "{\"ddpProfiles\":[\"ICE COMMS Package\"]}",
            List.of(VF_A7)),
        row("pKeys by value", "netDevice", "{\"pKeys\":[\"0X8001\"]}", List.of(MLX_IB)),
        row("isRdma", "netDevice", "{\"isRdma\":true}", List.of(MLX_0, MLX_IB)),
        row("IsRdma (Go field name)", "netDevice", "{\"IsRdma\":true}", List.of(MLX_0, MLX_IB)),
        row("vdpaType vhost", "netDevice", "{\"vdpaType\":\"vhost\"}", List.of(MLX_1)),
        row("vdpaType virtio", "netDevice", "{\"vdpaType\":\"virtio\"}", List.of()),
        row("needVhostNet does not filter", "netDevice", "{\"needVhostNet\":true}", ALL_NET),
        row(
            "filters are a conjunction",
            "netDevice",
            "{\"vendors\":[\"8086\"],\"drivers\":[\"iavf\"],\"pfNames\":[\"ens1f0#0-6\"]}",
            List.of(VF_A0)),
        row("accelerator {} takes accelerators only", "accelerator", "{}", List.of(FPGA)),
        row("accelerator vendors", "accelerator", "{\"vendors\":[\"8086\"]}", List.of(FPGA)),
        row(
            "accelerator pciAddresses",
            "accelerator",
            "{\"pciAddresses\":[\"0000:af:00.0\",\"0000:3b:02.0\"]}",
            List.of(FPGA)),
        row("aux {} takes aux devices only", "auxNetDevice", "{}", List.of(SF_4, SF_9, ETH_1)),
        row("aux auxTypes", "auxNetDevice", "{\"auxTypes\":[\"sf\"]}", List.of(SF_4, SF_9)),
        row(
            "aux pfNames over SF index",
            "auxNetDevice",
            "{\"pfNames\":[\"p0#4-8\"]}",
            List.of(SF_4)),
        row("aux pfNames whole PF", "auxNetDevice", "{\"pfNames\":[\"p1\"]}", List.of(ETH_1)),
        row(
            "aux range never matches a device without SF index",
            "auxNetDevice",
            "{\"pfNames\":[\"p1#0-5\"]}",
            List.of()),
        row(
            "aux rootDevices",
            "auxNetDevice",
            "{\"rootDevices\":[\"0000:5e:00.0#9\"]}",
            List.of(SF_9)),
        row("aux isRdma", "auxNetDevice", "{\"isRdma\":true}", List.of(SF_4)),
        row(
            "aux vendors/devices of the parent",
            "auxNetDevice",
            "{\"vendors\":[\"15b3\"],\"devices\":[\"a2d6\"],\"drivers\":[\"mlx5_core.sf\"]}",
            List.of(SF_4, SF_9, ETH_1)),
        row(
            "multi-selector array: union in selector order",
            "netDevice",
            "[{\"pfNames\":[\"ens1f0#7\"]},{\"drivers\":[\"vfio-pci\"]}]",
            List.of(VF_A1, VF_A7, VF_NO_PF_NAME)));
  }

  static Arguments row(String what, String type, String selectors, List<Device> expected) {
    return Arguments.of(what, type, selectors, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectorTable")
  void selectsExactlyTheExpectedDevices(
      String what, String type, String selectors, List<Device> expected) {
    ResourceList config =
        parse(
            "{\"resourceList\":[{\"resourceName\":\"pool\",\"deviceType\":\""
                + type
                + "\",\"selectors\":"
                + selectors
                + "}]}");

    Map<ResourceConfig, List<Device>> pools = assigner.assign(config, ALL);

    assertThat(ids(pools.get(config.resources().get(0)))).isEqualTo(ids(expected));
  }

  @Test
  void aDeviceGoesToTheFirstPoolThatSelectsIt() {
    ResourceList config =
        parse(
            """
            {"resourceList": [
              {"resourceName": "dpdk", "selectors": {"vendors": ["8086"], "drivers": ["vfio-pci"]}},
              {"resourceName": "intel", "selectors": {"vendors": ["8086"]}},
              {"resourceName": "intel_again", "selectors": {"vendors": ["8086"]}}
            ]}
            """);

    List<List<Device>> pools = List.copyOf(assigner.assign(config, ALL).values());

    assertThat(ids(pools.get(0))).isEqualTo(ids(List.of(VF_A1, VF_NO_PF_NAME)));
    assertThat(ids(pools.get(1))).isEqualTo(ids(List.of(PF_A, VF_A0, VF_A7, VF_B0)));
    assertThat(pools.get(2)).isEmpty();
  }

  @Test
  void poolOrderDecidesNotSpecificity() {
    ResourceList config =
        parse(
            """
            {"resourceList": [
              {"resourceName": "intel", "selectors": {"vendors": ["8086"]}},
              {"resourceName": "dpdk", "selectors": {"drivers": ["vfio-pci"]}}
            ]}
            """);

    List<List<Device>> pools = List.copyOf(assigner.assign(config, ALL).values());

    assertThat(pools.get(0)).hasSize(6);
    assertThat(pools.get(1)).isEmpty();
  }

  @Test
  void theFirstSelectorObjectThatMatchesIsRecordedForEachDevice() {
    // Upstream README: devices matched by the first object do not get needVhostNet.
    ResourceList config =
        parse(
            """
            {"resourceList": [{"resourceName": "intel", "selectors": [
              {"vendors": ["8086"], "devices": ["154c"]},
              {"vendors": ["8086"], "needVhostNet": true}
            ]}]}
            """);

    List<PoolAssigner.Selected> pool =
        assigner.assignWithSelectors(config, ALL).get(config.resources().get(0));

    assertThat(pool)
        .extracting(s -> s.device().id() + "=" + s.selector().needVhostNet())
        .containsExactly(
            "0000:3b:00.0=true",
            "0000:3b:02.0=false",
            "0000:3b:02.1=false",
            "0000:3b:02.7=false",
            "0000:3b:0a.0=false",
            "0000:d8:02.3=true");
  }

  @Test
  void poolsOfTheWrongKindNeverTakeADevice() {
    ResourceList config =
        parse(
            """
            {"resourceList": [
              {"resourceName": "acc", "deviceType": "accelerator", "selectors": {"vendors": ["15b3"]}},
              {"resourceName": "sf", "deviceType": "auxNetDevice", "selectors": {"pfNames": ["ens1f0"]}},
              {"resourceName": "net", "selectors": {"devices": ["a2d6", "0d90"]}}
            ]}
            """);

    Map<ResourceConfig, List<Device>> pools = assigner.assign(config, ALL);

    assertThat(pools.values()).allSatisfy(devices -> assertThat(devices).isEmpty());
  }

  @Test
  void devicesInAPoolAreSortedByIdWhateverTheDiscoveryOrder() {
    ResourceList config = parse("{\"resourceList\":[{\"resourceName\":\"all\",\"selectors\":{}}]}");
    List<Device> shuffled = new ArrayList<>(ALL);
    Collections.shuffle(shuffled, new Random(42));

    List<Device> pool = assigner.assign(config, shuffled).values().iterator().next();

    assertThat(pool.stream().map(Device::id).toList()).isSorted().hasSize(ALL_NET.size());
  }

  @Test
  void everyPoolIsInTheResultInFileOrderEvenWhenEmpty() {
    ResourceList config =
        parse(
            """
            {"resourceList": [
              {"resourceName": "z", "selectors": {"vendors": ["1234"]}},
              {"resourceName": "a", "selectors": {}}
            ]}
            """);

    Map<ResourceConfig, List<Device>> pools = assigner.assign(config, ALL);

    assertThat(pools.keySet())
        .extracting(ResourceConfig::fullName)
        .containsExactly("intel.com/z", "intel.com/a");
    assertThat(pools.get(config.resources().get(0))).isEmpty();
  }

  private ResourceList parse(String json) {
    return parser.parse(json, "test", ResourcePrefix.INTEL);
  }

  private static List<String> ids(List<Device> devices) {
    return devices.stream().map(Device::id).sorted().toList();
  }
}
