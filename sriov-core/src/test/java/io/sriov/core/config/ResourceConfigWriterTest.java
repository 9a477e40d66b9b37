package io.sriov.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.VdpaType;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.AuxNetDeviceSelector;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.core.selector.IndexRange;
import io.sriov.core.selector.NameWithRanges;
import io.sriov.core.selector.NetDeviceSelector;
import io.sriov.core.selector.PartitionKey;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** parse(write(pools)) == pools, and the written shape is upstream's config.json. */
class ResourceConfigWriterTest {
  private final ResourceConfigWriter writer = new ResourceConfigWriter();
  private final ResourceConfigParser parser = new ResourceConfigParser();

  private List<ResourceConfig> reparse(List<ResourceConfig> pools, ResourcePrefix defaultPrefix) {
    ResourceList back = parser.parse(writer.write(pools), "written", defaultPrefix);
    assertThat(back.warnings()).isEmpty();
    return back.resources();
  }

  static List<String> examples() {
    return UpstreamExamplesTest.examples().toList();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyUpstreamExampleRoundTrips(String file) {
    List<ResourceConfig> pools = UpstreamExamplesTest.load(file).resources();

    assertThat(reparse(pools, ResourcePrefix.INTEL)).isEqualTo(pools);
    // The prefix is written, so the reader's default does not matter.
    assertThat(reparse(pools, ResourcePrefix.of("example.org"))).isEqualTo(pools);
  }

  @Test
  void writesUpstreamsShapeAndLeavesOutDefaults() {
    ResourceList list =
        parser.parse(
            """
            {"resourceList": [
              {"resourceName": "plain", "selectors": {}},
              {"resourceName": "dpdk", "resourcePrefix": "nvidia.com", "excludeTopology": true,
               "allocationPolicy": "pack",
               "selectors": [{"vendors": ["0x15B3"], "pfNames": ["ens1f0#0,2-7,9"],
                              "rootDevices": ["0000:3b:00.0#3-3"], "pKeys": ["0X7FFF"],
                              "acpiIndexes": ["101"], "IsRdma": true},
                             {"vdpaType": "vhost", "needVhostNet": true, "linkTypes": ["Ether"]}],
               "additionalInfo": {"*": {"token": "t"}, "0000:3b:02.0": {}}},
              {"resourceName": "qat", "deviceType": "accelerator", "allocationPolicy": "spread",
               "selectors": {"drivers": ["vfio-pci"], "pciAddresses": ["0000:6c:00.0"]}},
              {"resourceName": "sf", "deviceType": "auxNetDevice", "carrierHealth": false,
               "selectors": {"auxTypes": ["sf"], "isRdma": false}}
            ]}
            """,
            "in",
            ResourcePrefix.INTEL);

    assertThat(writer.write(list.resources()))
        .isEqualTo(
            "{\"resourceList\":["
                + "{\"resourceName\":\"plain\",\"resourcePrefix\":\"intel.com\",\"selectors\":[{}]},"
                + "{\"resourceName\":\"dpdk\",\"resourcePrefix\":\"nvidia.com\","
                + "\"excludeTopology\":true,\"allocationPolicy\":\"pack\",\"selectors\":["
                + "{\"vendors\":[\"15b3\"],\"acpiIndexes\":[\"101\"],"
                + "\"pfNames\":[\"ens1f0#0,2-7,9\"],\"rootDevices\":[\"0000:3b:00.0#3\"],"
                + "\"pKeys\":[\"0x7fff\"],\"isRdma\":true},"
                + "{\"linkTypes\":[\"ether\"],\"needVhostNet\":true,\"vdpaType\":\"vhost\"}],"
                + "\"additionalInfo\":{\"*\":{\"token\":\"t\"},\"0000:3b:02.0\":{}}},"
                + "{\"resourceName\":\"qat\",\"resourcePrefix\":\"intel.com\","
                + "\"deviceType\":\"accelerator\",\"selectors\":[{\"drivers\":[\"vfio-pci\"],"
                + "\"pciAddresses\":[\"0000:6c:00.0\"]}]},"
                + "{\"resourceName\":\"sf\",\"resourcePrefix\":\"intel.com\","
                + "\"deviceType\":\"auxNetDevice\",\"carrierHealth\":false,"
                + "\"selectors\":[{\"auxTypes\":[\"sf\"]}]}"
                + "]}");
    assertThat(reparse(list.resources(), ResourcePrefix.INTEL)).isEqualTo(list.resources());
  }

  @Test
  void anEmptyListIsAnEmptyResourceList() {
    assertThat(writer.write(List.of())).isEqualTo("{\"resourceList\":[]}");
    assertThat(reparse(List.of(), ResourcePrefix.INTEL)).isEmpty();
  }

  @Test
  void twoPoolsWithOneFullNameAreRefused() {
    ResourceConfig a = ResourceConfigTest.pool("intel.com", "a");
    assertThatThrownBy(() -> writer.write(List.of(a, ResourceConfigTest.pool("intel.com", "b"), a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pools 0 and 2 are both intel.com/a");
  }

  // ---- generated pools

  @Property(tries = 300)
  void generatedPoolsRoundTrip(@ForAll("pools") List<ResourceConfig> pools) {
    assertThat(reparse(pools, ResourcePrefix.INTEL)).isEqualTo(pools);
  }

  @Provide
  Arbitrary<List<ResourceConfig>> pools() {
    return resourceConfig().list().ofMaxSize(4).uniqueElements(ResourceConfig::fullName);
  }

  private static Arbitrary<ResourceConfig> resourceConfig() {
    Arbitrary<ResourceName> name =
        Arbitraries.strings()
            .withChars("abcXYZ019_-")
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(ResourceName::of);
    Arbitrary<ResourcePrefix> prefix =
        Arbitraries.of("intel.com", "nvidia.com", "example.org").map(ResourcePrefix::of);
    Arbitrary<DeviceType> type = Arbitraries.of(DeviceType.class);
    return Combinators.combine(
            name,
            prefix,
            type,
            Arbitraries.of(true, false),
            additionalInfo(),
            Arbitraries.of(AllocationPolicy.class))
        .flatAs(
            (n, p, t, topo, info, policy) ->
                selector(t)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(3)
                    .map(s -> new ResourceConfig(n, p, t, topo, s, info, policy)));
  }

  private static Arbitrary<DeviceSelector> selector(DeviceType type) {
    Arbitrary<List<PciId>> ids =
        Arbitraries.integers().between(0, 0xffff).map(PciId::new).list().ofMaxSize(2);
    Arbitrary<List<DriverName>> drivers =
        Arbitraries.of("vfio-pci", "iavf", "mlx5_core").map(DriverName::of).list().ofMaxSize(2);
    Arbitrary<List<PciAddress>> addresses =
        Arbitraries.of("0000:3b:02.0", "0000:af:00.7", "ffff:ff:1f.7")
            .map(PciAddress::parse)
            .list()
            .ofMaxSize(2);
    Arbitrary<List<Integer>> acpi =
        Arbitraries.integers().between(0, 999_999_999).list().ofMaxSize(2);
    Arbitrary<List<IndexRange>> ranges =
        Arbitraries.integers()
            .between(0, 300)
            .flatMap(a -> Arbitraries.integers().between(a, 400).map(b -> new IndexRange(a, b)))
            .list()
            .ofMaxSize(3);
    Arbitrary<List<NameWithRanges<InterfaceName>>> pfNames =
        Combinators.combine(
                Arbitraries.of("ens1f0", "p0", "enp94s0f1np1").map(InterfaceName::of), ranges)
            .as(NameWithRanges::new)
            .list()
            .ofMaxSize(2);
    Arbitrary<List<NameWithRanges<PciAddress>>> roots =
        Combinators.combine(
                Arbitraries.of("0000:3b:00.0", "0000:86:00.1").map(PciAddress::parse), ranges)
            .as(NameWithRanges::new)
            .list()
            .ofMaxSize(2);
    Arbitrary<List<LinkType>> links =
        Arbitraries.of("ether", "infiniband").map(LinkType::new).list().ofMaxSize(2);
    Arbitrary<List<String>> words = text().ofMinLength(1).ofMaxLength(8).list().ofMaxSize(2);
    Arbitrary<Boolean> flag = Arbitraries.of(true, false);
    return switch (type) {
      case ACCELERATOR ->
          Combinators.combine(ids, ids, drivers, addresses, acpi).as(AcceleratorSelector::new);
      case AUX_NET_DEVICE ->
          Combinators.combine(ids, ids, drivers, pfNames, roots, links, words, flag)
              .flatAs(
                  (v, d, dr, pf, r, l, aux, rdma) ->
                      flag.map(
                          vhost ->
                              (DeviceSelector)
                                  new AuxNetDeviceSelector(v, d, dr, pf, r, l, aux, rdma, vhost)));
      case NET_DEVICE ->
          Combinators.combine(ids, ids, drivers, addresses, acpi, pfNames, roots, links)
              .flatAs(
                  (v, d, dr, a, ac, pf, r, l) ->
                      Combinators.combine(
                              words,
                              Arbitraries.integers()
                                  .between(0, 0xffff)
                                  .map(PartitionKey::new)
                                  .list()
                                  .ofMaxSize(2),
                              flag,
                              flag,
                              Arbitraries.of(VdpaType.class).optional())
                          .as(
                              (ddp, pkeys, rdma, vhost, vdpa) ->
                                  (DeviceSelector)
                                      NetDeviceSelector.builder()
                                          .vendors(v)
                                          .devices(d)
                                          .drivers(dr)
                                          .pciAddresses(a)
                                          .acpiIndexes(ac)
                                          .pfNames(pf)
                                          .rootDevices(r)
                                          .linkTypes(l)
                                          .ddpProfiles(ddp)
                                          .pKeys(pkeys)
                                          .isRdma(rdma && vdpa.isEmpty())
                                          .needVhostNet(vhost)
                                          .vdpaType(vdpa.orElse(null))
                                          .build()));
    };
  }

  private static Arbitrary<AdditionalInfo> additionalInfo() {
    Arbitrary<Map<String, String>> pairs =
        Arbitraries.maps(text().ofMaxLength(6), text().ofMaxLength(6)).ofMaxSize(3);
    return Arbitraries.maps(Arbitraries.of("*", "0000:3b:02.0", "0000:86:00.0"), pairs)
        .ofMaxSize(3)
        .map(AdditionalInfo::new);
  }

  /** Letters, digits and what JSON must escape or a careless writer would mangle. */
  private static net.jqwik.api.arbitraries.StringArbitrary text() {
    return Arbitraries.strings().alpha().numeric().withChars(" \"\\/<&\u00e9\u2028\t");
  }
}
