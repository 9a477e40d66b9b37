package io.sriov.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.config.ConfigException;
import io.sriov.core.config.ResourceConfigParser;
import io.sriov.core.config.ResourceList;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.IndexRange;
import io.sriov.core.selector.NameWithRanges;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The parsers fed arbitrary and near-valid input: they either return a value or throw their
 * documented exception, never anything else.
 */
class ParserPropertiesTest {

  private final ResourceConfigParser parser = new ResourceConfigParser();

  // ---- PciAddress

  @Property
  void pciAddressParseThrowsOnlyInvalidValue(@ForAll("pciLike") String s) {
    try {
      PciAddress a = PciAddress.parse(s);
      assertThat(a.toString()).isEqualTo(s); // only the canonical form is accepted
    } catch (InvalidValueException expected) {
      assertThat(expected.getMessage()).startsWith("PCI address ");
    }
  }

  @Property
  void pciAddressParseThrowsOnlyInvalidValueOnAnyString(@ForAll String s) {
    try {
      PciAddress.parse(s);
    } catch (InvalidValueException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void pciAddressRoundTrips(
      @ForAll @IntRange(max = 0xffff) int domain,
      @ForAll @IntRange(max = 0xff) int bus,
      @ForAll @IntRange(max = 0x1f) int device,
      @ForAll @IntRange(max = 7) int function) {
    PciAddress a = new PciAddress(domain, bus, device, function);

    assertThat(PciAddress.parse(a.toString())).isEqualTo(a);
  }

  @Provide
  Arbitrary<String> pciLike() {
    return Arbitraries.strings()
        .withChars("0123456789abcdefABCDEF:./x-")
        .ofMinLength(10)
        .ofMaxLength(14);
  }

  // ---- ranges

  @Property
  void rangeListParseThrowsOnlyInvalidValue(@ForAll("rangeLike") String s) {
    try {
      List<IndexRange> ranges = IndexRange.parseList(s);
      assertThat(ranges).isNotEmpty();
      String printed = ranges.stream().map(IndexRange::toString).collect(Collectors.joining(","));
      assertThat(IndexRange.parseList(printed)).isEqualTo(ranges);
    } catch (InvalidValueException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void nameWithRangesParseThrowsOnlyInvalidValue(@ForAll("entryLike") String s) {
    for (var nameParser :
        List.<java.util.function.Function<String, ?>>of(InterfaceName::of, PciAddress::parse)) {
      try {
        NameWithRanges<?> n = NameWithRanges.parse(s, nameParser);
        assertThat(NameWithRanges.parse(n.toString(), nameParser)).isEqualTo(n);
      } catch (InvalidValueException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Property
  void wellFormedRangesAlwaysParse(@ForAll("ranges") List<IndexRange> ranges) {
    String text = ranges.stream().map(IndexRange::toString).collect(Collectors.joining(","));

    assertThat(IndexRange.parseList(text)).isEqualTo(ranges);
  }

  @Provide
  Arbitrary<String> rangeLike() {
    return Arbitraries.strings().withChars("0123456789,- x").ofMaxLength(14);
  }

  @Provide
  Arbitrary<String> entryLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ens1f0#0123456789,-: ./").ofMaxLength(20),
        Arbitraries.strings().ofMaxLength(20),
        Arbitraries.of("0000:3b:00.0", "ens1f0").flatMap(n -> rangeLike().map(r -> n + "#" + r)));
  }

  @Provide
  Arbitrary<List<IndexRange>> ranges() {
    Arbitrary<IndexRange> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 1000))
            .as((first, len) -> new IndexRange(first, first + len));
    return one.list().ofMinSize(1).ofMaxSize(6);
  }

  // ---- config

  @Property
  void configParseThrowsOnlyConfigExceptionOnAnyText(@ForAll("anyText") String text) {
    parseOrConfigException(text);
  }

  @Property(tries = 300)
  void configParseThrowsOnlyConfigExceptionOnConfigShapedJson(@ForAll("configLike") String text) {
    parseOrConfigException(text);
  }

  private void parseOrConfigException(String text) {
    try {
      ResourceList list = parser.parse(text, "prop", ResourcePrefix.INTEL);
      assertThat(list.resources()).allSatisfy(rc -> assertThat(rc.selectors()).isNotEmpty());
    } catch (ConfigException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      assertThat(expected.source()).isEqualTo("prop");
    }
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("{}[]:,\"'-#&*!|> \n\tabc01").ofMaxLength(60),
        Arbitraries.integers().between(1, 200).map(n -> "[".repeat(n)),
        Arbitraries.integers().between(1, 200).map(n -> "- ".repeat(n) + "x"));
  }

  private static final List<String> KEYS =
      List.of(
          "resourceList",
          "resourceName",
          "ResourceName",
          "resourcePrefix",
          "deviceType",
          "excludeTopology",
          "selectors",
          "additionalInfo",
          "vendors",
          "devices",
          "drivers",
          "pciAddresses",
          "acpiIndexes",
          "pfNames",
          "rootDevices",
          "linkTypes",
          "ddpProfiles",
          "pKeys",
          "isRdma",
          "IsRdma",
          "needVhostNet",
          "vdpaType",
          "auxTypes",
          "*",
          "0000:86:00.0",
          "x");

  @Provide
  Arbitrary<String> configLike() {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(
                "\"netDevice\"",
                "\"accelerator\"",
                "\"auxNetDevice\"",
                "\"vhost\"",
                "\"virtio\"",
                "\"8086\"",
                "\"0x15b3\"",
                "\"vfio-pci\"",
                "\"ens1f0#0,2-7,9\"",
                "\"ens1f0#7-2\"",
                "\"0000:3b:00.0#1\"",
                "\"0000:3b:02.0\"",
                "\"intel.com\"",
                "\"a\"",
                "\"\"",
                "\"0x7fff\"",
                "\"101\"",
                "true",
                "false",
                "null",
                "0",
                "-1",
                "1e999",
                "{}",
                "[]"),
            Arbitraries.strings().ofMaxLength(10).map(ParserPropertiesTest::jsonString));
    Arbitrary<String> value =
        Arbitraries.recursive(
            () -> scalar,
            inner ->
                Arbitraries.oneOf(
                    inner.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                    Arbitraries.maps(Arbitraries.of(KEYS), inner)
                        .ofMaxSize(3)
                        .map(ParserPropertiesTest::jsonObject)),
            0,
            3);
    Arbitrary<String> resource =
        Arbitraries.maps(Arbitraries.of(KEYS), value)
            .ofMaxSize(6)
            .map(
                m -> {
                  Map<String, String> withName = new java.util.LinkedHashMap<>(m);
                  withName.putIfAbsent("resourceName", "\"r\"");
                  return jsonObject(withName);
                });
    return resource
        .list()
        .ofMaxSize(4)
        .map(l -> "{\"resourceList\": [" + String.join(",", l) + "]}");
  }

  private static String jsonObject(Map<String, String> m) {
    return m.entrySet().stream()
        .map(e -> jsonString(e.getKey()) + ":" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
