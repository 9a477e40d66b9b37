package io.sriov.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.VdpaType;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.AuxNetDeviceSelector;
import io.sriov.core.selector.IndexRange;
import io.sriov.core.selector.NetDeviceSelector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceConfigParserTest {

  private final ResourceConfigParser parser = new ResourceConfigParser();

  private ResourceList parse(String text) {
    return parser.parse(text, "/etc/pcidp/config.json", ResourcePrefix.INTEL);
  }

  /** A config with one resource whose body (inside the braces) is {@code body}. */
  private static String one(String body) {
    return "{\"resourceList\": [{" + body + "}]}";
  }

  private void rejects(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message)
        .satisfies(
            e -> assertThat(((ConfigException) e).source()).isEqualTo("/etc/pcidp/config.json"));
  }

  // ---- what a good config gives

  @Test
  void readsEveryResourceFieldAndSelector() {
    ResourceList list =
        parse(
            """
            {"resourceList": [{
              "resourceName": "mlnx_rdma",
              "resourcePrefix": "nvidia.com",
              "excludeTopology": true,
              "selectors": [{
                "vendors": ["15b3"], "devices": ["1018"], "drivers": ["mlx5_core"],
                "pciAddresses": ["0000:5e:00.2"], "acpiIndexes": ["7"],
                "pfNames": ["enp94s0f0#0,2-7,9"], "rootDevices": ["0000:5e:00.0#1"],
                "linkTypes": ["ether"], "ddpProfiles": ["ICE OS Default Package"],
                "pKeys": ["0x7fff"], "isRdma": true, "needVhostNet": true
              }],
              "additionalInfo": {"*": {"token": "t"}}
            }]}
            """);

    ResourceConfig rc = list.resources().get(0);
    assertThat(rc.fullName()).isEqualTo("nvidia.com/mlnx_rdma");
    assertThat(rc.socketName()).isEqualTo("nvidia.com_mlnx_rdma.sock");
    assertThat(rc.envNames().devices()).isEqualTo("PCIDEVICE_NVIDIA_COM_MLNX_RDMA");
    assertThat(rc.deviceType()).isEqualTo(DeviceType.NET_DEVICE);
    assertThat(rc.excludeTopology()).isTrue();
    assertThat(rc.additionalInfo().forDevice("0000:5e:00.2")).isEqualTo(Map.of("token", "t"));
    NetDeviceSelector s = (NetDeviceSelector) rc.selectors().get(0);
    assertThat(s.toString())
        .isEqualTo(
            "NetDeviceSelector[vendors=[15b3], devices=[1018],"
                + " drivers=[mlx5_core], pciAddresses=[0000:5e:00.2], acpiIndexes=[7],"
                + " pfNames=[enp94s0f0#0,2-7,9], rootDevices=[0000:5e:00.0#1], linkTypes=[ether],"
                + " ddpProfiles=[ICE OS Default Package], pKeys=[0x7fff], isRdma=true,"
                + " needVhostNet=true, vdpaType=Optional.empty]");
    assertThat(s.pfNames().get(0).ranges())
        .containsExactly(new IndexRange(0, 0), new IndexRange(2, 7), new IndexRange(9, 9));
    assertThat(list.warnings()).isEmpty();
  }

  @Test
  void defaultsAreNetDeviceTheDefaultPrefixAndNoTopologyExclusion() {
    ResourceConfig rc = parse(one("\"resourceName\": \"a\", \"selectors\": {}")).resources().get(0);

    assertThat(rc.prefix()).isEqualTo(ResourcePrefix.INTEL);
    assertThat(rc.deviceType()).isEqualTo(DeviceType.NET_DEVICE);
    assertThat(rc.excludeTopology()).isFalse();
    assertThat(rc.selectors()).containsExactly(NetDeviceSelector.all());
    assertThat(rc.additionalInfo().isEmpty()).isTrue();
  }

  @Test
  void emptyStringsForPrefixDeviceTypeAndVdpaTypeMeanTheDefault() {
    ResourceConfig rc =
        parse(
                one(
                    "\"resourceName\": \"a\", \"resourcePrefix\": \"\", \"deviceType\": \"\","
                        + " \"selectors\": {\"vdpaType\": \"\"}"))
            .resources()
            .get(0);

    assertThat(rc.fullName()).isEqualTo("intel.com/a");
    assertThat(rc.selectors().get(0).vdpaType()).isEmpty();
  }

  @Test
  void allocationPolicyIsPerResourceWithGoStyleKeysAndSpreadByDefault() {
    ResourceList list =
        parse(
            """
            {"resourceList": [
              {"resourceName": "a", "allocationPolicy": "pack", "selectors": {}},
              {"resourceName": "b", "resourcePrefix": "example.org", "allocationPolicy": "spread",
               "selectors": {}},
              {"resourceName": "c", "AllocationPolicy": "pack", "selectors": {}},
              {"resourceName": "d", "allocationPolicy": "", "selectors": {}},
              {"resourceName": "e", "allocationPolicy": null, "selectors": {}},
              {"resourceName": "f", "selectors": {}}
            ]}
            """);

    assertThat(list.resources())
        .extracting(ResourceConfig::allocationPolicy)
        .containsExactly(
            AllocationPolicy.PACK,
            AllocationPolicy.SPREAD,
            AllocationPolicy.PACK,
            AllocationPolicy.SPREAD,
            AllocationPolicy.SPREAD,
            AllocationPolicy.SPREAD);
    assertThat(list.warnings()).isEmpty();
  }

  @Test
  void carrierHealthIsPerResourceAndOnByDefault() {
    ResourceList list =
        parse(
            """
            {"resourceList": [
              {"resourceName": "a", "carrierHealth": false, "selectors": {}},
              {"resourceName": "b", "CarrierHealth": true, "selectors": {}},
              {"resourceName": "c", "carrierHealth": null, "selectors": {}},
              {"resourceName": "d", "selectors": {}}
            ]}
            """);

    assertThat(list.resources())
        .extracting(ResourceConfig::carrierHealth)
        .containsExactly(false, true, true, true);
    assertThat(list.warnings()).isEmpty();
  }

  @Test
  void allocationPolicyInYaml() {
    ResourceList list =
        parse("resourceList:\n- resourceName: a\n  allocationPolicy: pack\n  selectors: {}\n");

    assertThat(list.resources().get(0).allocationPolicy()).isEqualTo(AllocationPolicy.PACK);
  }

  @Test
  void theDefaultPrefixComesFromTheCaller() {
    ResourceList list =
        parser.parse(
            one("\"resourceName\": \"a\", \"selectors\": {}"), "x", ResourcePrefix.of("acme.io"));

    assertThat(list.resources().get(0).fullName()).isEqualTo("acme.io/a");
  }

  @Test
  void deviceTypesSelectTheirSelectorKind() {
    ResourceList list =
        parse(
            """
            {"resourceList": [
              {"resourceName": "a", "deviceType": "accelerator", "selectors": {"vendors": ["8086"]}},
              {"resourceName": "b", "deviceType": "auxNetDevice", "selectors": {"auxTypes": ["sf"]}},
              {"resourceName": "c", "deviceType": "netDevice", "selectors": {"vdpaType": "virtio"}}
            ]}
            """);

    assertThat(list.resources().get(0).selectors().get(0)).isInstanceOf(AcceleratorSelector.class);
    assertThat(list.resources().get(1).selectors().get(0)).isInstanceOf(AuxNetDeviceSelector.class);
    assertThat(list.resources().get(2).selectors().get(0).vdpaType()).contains(VdpaType.VIRTIO);
  }

  @Test
  void keysMatchCaseInsensitivelyAsInGo() {
    ResourceList list =
        parse(
            "{\"ResourceList\": [{\"RESOURCENAME\": \"a\", \"Selectors\": {\"IsRdma\": true,"
                + " \"NEEDVHOSTNET\": true, \"pfnames\": [\"p0\"]}}]}");

    NetDeviceSelector s = (NetDeviceSelector) list.resources().get(0).selectors().get(0);
    assertThat(s.isRdma()).isTrue();
    assertThat(s.needVhostNet()).isTrue();
    assertThat(s.pfNames()).hasSize(1);
    assertThat(list.warnings()).isEmpty();
  }

  @Test
  void unknownKeysAreIgnoredWithAWarningNamingTheirPath() {
    ResourceList list =
        parse(
            """
            {"version": 2, "resourceList": [{
              "resourceName": "a", "sriovMode": true, "isRdma": true,
              "selectors": [{}, {"vendor": ["8086"]}]
            }]}
            """);

    assertThat(list.resources()).hasSize(1);
    assertThat(list.warnings())
        .containsExactly(
            "version: unknown key, ignored",
            "resourceList[0].sriovMode: unknown key, ignored",
            "resourceList[0].isRdma: a selector key outside \"selectors\", ignored (move it into"
                + " selectors)",
            "resourceList[0].selectors[1].vendor: unknown key, ignored");
  }

  @Test
  void nullValuesCountAsAbsent() {
    ResourceConfig rc =
        parse(
                one(
                    "\"resourceName\": \"a\", \"resourcePrefix\": null, \"excludeTopology\": null,"
                        + " \"selectors\": {\"vendors\": null, \"isRdma\": null}"))
            .resources()
            .get(0);

    assertThat(rc.prefix()).isEqualTo(ResourcePrefix.INTEL);
    assertThat(rc.selectors()).containsExactly(NetDeviceSelector.all());
  }

  @Test
  void anEmptyOrMissingResourceListIsNotAnError() {
    assertThat(parse("{\"resourceList\": []}").resources()).isEmpty();
    assertThat(parse("{}").isEmpty()).isTrue();
    assertThat(parse("resourceList:\n").isEmpty()).isTrue();
  }

  @Test
  void theSameNameUnderTwoPrefixesIsFine() {
    ResourceList list =
        parse(
            """
            {"resourceList": [
              {"resourceName": "10G", "resourcePrefix": "example.com", "selectors": {}},
              {"resourceName": "10G", "resourcePrefix": "acme.com", "selectors": {}},
              {"resourceName": "40G", "resourcePrefix": "acme.com", "selectors": {}}
            ]}
            """);

    assertThat(list.resources())
        .extracting(ResourceConfig::fullName)
        .containsExactly("example.com/10G", "acme.com/10G", "acme.com/40G");
  }

  @Test
  void readsYaml() {
    ResourceList list =
        parse(
            """
            # operator-style YAML
            resourceList:
              - resourceName: sriov_a
                resourcePrefix: example.com
                selectors:
                  - pfNames: ["ens1f0#0-3"]
                    isRdma: true
                  - vendors: ["8086"]
                additionalInfo:
                  "*": {token: abc}
            """);

    ResourceConfig rc = list.resources().get(0);
    assertThat(rc.fullName()).isEqualTo("example.com/sriov_a");
    assertThat(rc.selectors()).hasSize(2);
    assertThat(rc.selectors().get(0).isRdma()).isTrue();
  }

  @Test
  void additionalInfoKeysThatCanNeverMatchAreWarnedAbout() {
    ResourceList list =
        parse(
            one(
                "\"resourceName\": \"a\", \"selectors\": {}, \"additionalInfo\": {\"*\": {},"
                    + " \"0000:86:00.0\": {}, \"mlx5_core.sf.4\": {}, \"0000:86:00.0 \": {}}"));

    assertThat(list.warnings())
        .containsExactly(
            "resourceList[0].additionalInfo.mlx5_core.sf.4: an auxiliary device name applies to"
                + " no device; as upstream, a sub-function takes the entry of its parent PF's PCI"
                + " address",
            "resourceList[0].additionalInfo.0000:86:00.0 : key is neither \"*\" nor a PCI"
                + " address, it applies to no device");
    assertThat(list.resources().get(0).additionalInfo().given()).isTrue();
  }

  @Test
  void additionalInfoGivenEmptyIsNotAbsent() {
    assertThat(
            parse(one("\"resourceName\": \"a\", \"selectors\": {}, \"additionalInfo\": {}"))
                .resources()
                .get(0)
                .additionalInfo())
        .isEqualTo(new AdditionalInfo(java.util.Map.of(), true));
    assertThat(
            parse(one("\"resourceName\": \"a\", \"selectors\": {}"))
                .resources()
                .get(0)
                .additionalInfo())
        .isEqualTo(AdditionalInfo.NONE);
  }

  // ---- rejections, each with its exact message

  @Test
  void rejectsMalformedJsonWithItsLine() {
    rejects(
        "{\"resourceList\": [\n  {\"resourceName\": \"a\",, \"selectors\": {}}\n]}",
        "line 2, column 24: malformed JSON: Unexpected character (',' (code 44)): was expecting"
            + " double-quote to start field name");
  }

  @Test
  void rejectsTrailingGarbageAfterTheJsonDocument() {
    rejects(
        "{\"resourceList\": []}\n{}",
        "line 2, column 1: malformed JSON: unexpected content after the end of the document");
    rejects(
        "{\"resourceList\": []}\n}",
        "line 2, column 1: malformed JSON: Unexpected close marker '}': no open Object to close");
  }

  @Test
  void rejectsMalformedYamlWithItsLine() {
    rejects(
        "resourceList:\n  - resourceName: a\n    selectors: [\n",
        "line 4, column 1: malformed YAML: expected the node content, but found '<stream end>'");
    rejects(
        "resourceList:\n  - resourceName: a\n   selectors: {}\n",
        "line 3, column 4: malformed YAML: expected <block end>, but found '<block mapping start>'");
  }

  @Test
  void rejectsAbsurdNestingInsteadOfOverflowingTheStack() {
    rejects(
        "{\"resourceList\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
        "malformed JSON: Document nesting depth (1001) exceeds the maximum allowed (1000, from"
            + " `StreamReadConstraints.getMaxNestingDepth()`)");
    rejects(
        "- ".repeat(5000) + "x",
        "malformed YAML: Document nesting depth (1001) exceeds the maximum allowed (1000, from"
            + " `StreamReadConstraints.getMaxNestingDepth()`)");
  }

  @Test
  void yamlAliasesAreNotExpandedSoAliasBombsCostNothing() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))));
      bomb.append("]\n");
    }
    bomb.append("resourceList: [{resourceName: a, selectors: {vendors: *a29}}]\n");

    rejects(
        bomb.toString(),
        "resourceList[0].selectors.vendors: expected an array of strings, got a string");
  }

  @Test
  void rejectsAnEmptyDocument() {
    rejects(" \n", "document is empty (expected an object with a resourceList array)");
    rejects(
        "# only a comment\n", "document is empty (expected an object with a resourceList array)");
  }

  @Test
  void rejectsAMissingResourceName() {
    rejects(
        one("\"selectors\": {}"),
        "resourceList[0].resourceName: missing (every resource needs a name)");
  }

  @Test
  void rejectsAnInvalidResourceName() {
    rejects(
        one("\"resourceName\": \"sriov net\", \"selectors\": {}"),
        "resourceList[0].resourceName: resource name \"sriov net\": \" \" is not allowed"
            + " (letters, digits, '_' and '-' only)");
    rejects(
        one("\"resourceName\": \"intel.com/a\", \"selectors\": {}"),
        "resourceList[0].resourceName: resource name \"intel.com/a\": \".\" is not allowed"
            + " (letters, digits, '_' and '-' only)");
    rejects(
        one("\"resourceName\": \"\", \"selectors\": {}"),
        "resourceList[0].resourceName: resource name must not be empty");
  }

  @Test
  void rejectsAnInvalidPrefix() {
    rejects(
        one("\"resourceName\": \"a\", \"resourcePrefix\": \"Intel.com\", \"selectors\": {}"),
        "resourceList[0].resourcePrefix: resource prefix \"Intel.com\": \"I\" is not allowed"
            + " (lower-case letters, digits, '-' and '.' only)");
    rejects(
        one("\"resourceName\": \"a\", \"resourcePrefix\": \"intel..com\", \"selectors\": {}"),
        "resourceList[0].resourcePrefix: resource prefix \"intel..com\": empty label (a DNS-1123"
            + " subdomain like example.com is expected)");
  }

  @Test
  void rejectsAnUnknownDeviceType() {
    rejects(
        one("\"resourceName\": \"a\", \"deviceType\": \"netdevice\", \"selectors\": {}"),
        "resourceList[0].deviceType: unknown device type \"netdevice\" (valid: netDevice,"
            + " accelerator, auxNetDevice)");
  }

  @Test
  void rejectsAnUnknownAllocationPolicy() {
    rejects(
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}},"
            + " {\"resourceName\": \"b\", \"allocationPolicy\": \"fill\", \"selectors\": {}}]}",
        "resourceList[1].allocationPolicy: unknown allocation policy \"fill\" (valid: spread,"
            + " pack)");
    // Compared as written, as deviceType is.
    rejects(
        one("\"resourceName\": \"a\", \"allocationPolicy\": \"Pack\", \"selectors\": {}"),
        "resourceList[0].allocationPolicy: unknown allocation policy \"Pack\" (valid: spread,"
            + " pack)");
    rejects(
        one("\"resourceName\": \"a\", \"allocationPolicy\": 2, \"selectors\": {}"),
        "resourceList[0].allocationPolicy: expected a string, got a number");
    rejects(
        one("\"resourceName\": \"a\", \"carrierHealth\": \"no\", \"selectors\": {}"),
        "resourceList[0].carrierHealth: expected true or false, got a string");
  }

  @ParameterizedTest(name = "{1} on {0}")
  @CsvSource({
    "accelerator,pfNames,'[\"p0\"]','vendors, devices, drivers, pciAddresses, acpiIndexes'",
    "accelerator,isRdma,true,'vendors, devices, drivers, pciAddresses, acpiIndexes'",
    "auxNetDevice,pciAddresses,'[\"0000:03:00.0\"]','vendors, devices, drivers, pfNames,"
        + " rootDevices, linkTypes, isRdma, needVhostNet, auxTypes'",
    "auxNetDevice,vdpaType,'\"vhost\"','vendors, devices, drivers, pfNames, rootDevices,"
        + " linkTypes, isRdma, needVhostNet, auxTypes'",
    "netDevice,auxTypes,'[\"sf\"]','vendors, devices, drivers, pciAddresses, acpiIndexes,"
        + " pfNames, rootDevices, linkTypes, ddpProfiles, pKeys, isRdma, needVhostNet, vdpaType'",
  })
  void rejectsASelectorNotValidForTheDeviceType(
      String type, String key, String value, String valid) {
    rejects(
        one(
            "\"resourceName\": \"a\", \"deviceType\": \""
                + type
                + "\", \"selectors\": {\""
                + key
                + "\": "
                + value
                + "}"),
        "resourceList[0].selectors."
            + key
            + ": not a selector for deviceType "
            + type
            + " ("
            + type
            + " selectors: "
            + valid
            + ")");
  }

  @Test
  void rejectsIsRdmaTogetherWithVdpaType() {
    rejects(
        one(
            "\"resourceName\": \"a\", \"selectors\": [{}, {\"isRdma\": true, \"vdpaType\":"
                + " \"vhost\"}]"),
        "resourceList[0].selectors[1]: isRdma and vdpaType cannot be used together");
  }

  @Test
  void rejectsAnUnknownVdpaType() {
    rejects(
        one("\"resourceName\": \"a\", \"selectors\": {\"vdpaType\": \"vdpa\"}"),
        "resourceList[0].selectors.vdpaType: unknown vDPA type \"vdpa\" (valid: virtio, vhost)");
  }

  @Test
  void rejectsADuplicateNameWithinAPrefix() {
    rejects(
        """
        {"resourceList": [
          {"resourceName": "a", "selectors": {}},
          {"resourceName": "b", "selectors": {}},
          {"resourceName": "a", "resourcePrefix": "intel.com", "selectors": {}}
        ]}
        """,
        "resourceList[2].resourceName: \"a\" is already used by resourceList[0] under prefix"
            + " intel.com");
  }

  @Test
  void rejectsAnEmptyOrMissingSelectors() {
    rejects(
        one("\"resourceName\": \"a\", \"selectors\": []"),
        "resourceList[0].selectors: empty array (give at least one selector object)");
    rejects(
        one("\"resourceName\": \"a\", \"deviceType\": \"accelerator\""),
        "resourceList[0].selectors: missing (give a selector object or an array of them; {}"
            + " selects every accelerator)");
  }

  @Test
  void rejectsAReversedRangeNamingEntryAndField() {
    rejects(
        """
        {"resourceList": [
          {"resourceName": "a", "selectors": {}},
          {"resourceName": "b", "selectors": {}},
          {"resourceName": "c", "selectors": {"pfNames": ["ens1f0#7-2"]}}
        ]}
        """,
        "resourceList[2].selectors.pfNames[0]: range 7-2 is reversed");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ens1f0#1-2-3 | range \"1-2-3\" is malformed (expected first-last)",
        "ens1f0#-3 | range \"-3\" is malformed (expected first-last)",
        "ens1f0#3- | range \"3-\" is malformed (expected first-last)",
        "ens1f0#a | index \"a\" in index list is not a decimal number",
        "ens1f0#1-b | index \"b\" in range \"1-b\" is not a decimal number",
        "ens1f0# 1 | index \" 1\" in index list is not a decimal number",
        "ens1f0#1,,2 | empty entry in index list (expected e.g. 0,2-7,9)",
        "ens1f0#1, | empty entry in index list (expected e.g. 0,2-7,9)",
        "ens1f0# | entry \"ens1f0#\" has no indexes after '#'",
        "#1-2 | entry \"#1-2\" has nothing before '#'",
        "ens1f0#1#2 | entry \"ens1f0#1#2\" has more than one '#'",
        "ens1f0#9999999999 | index \"9999999999\" in index list is too large",
        "a-very-long-pf-name0 | interface name \"a-very-long-pf-name0\": longer than 15 bytes",
        "ens1 f0 | interface name \"ens1 f0\": must not contain whitespace or NUL",
      })
  void rejectsMalformedPfNamesEntries(String entry, String problem) {
    rejects(
        one("\"resourceName\": \"a\", \"selectors\": {\"pfNames\": [\"p0\", \"" + entry + "\"]}"),
        "resourceList[0].selectors.pfNames[1]: " + problem);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pciAddresses | 0000:3b:02.8 | PCI address \"0000:3b:02.8\": function number must be 0-7",
        "pciAddresses | ../x | PCI address \"../x\": expected the form dddd:bb:dd.f (e.g."
            + " 0000:af:06.0)",
        "pciAddresses | 3b:02.0 | PCI address \"3b:02.0\": expected the form dddd:bb:dd.f (e.g."
            + " 0000:af:06.0)",
        "rootDevices | 0000:3B:00.0#1 | PCI address \"0000:3B:00.0\": 'B' at position 7 is not a"
            + " lower-case hex digit",
        "rootDevices | 0000:3b:00.0/..#1 | PCI address \"0000:3b:00.0/..\": expected the form"
            + " dddd:bb:dd.f (e.g. 0000:af:06.0)",
      })
  void rejectsInvalidPciAddresses(String key, String value, String problem) {
    rejects(
        one("\"resourceName\": \"a\", \"selectors\": [{\"" + key + "\": [\"" + value + "\"]}]"),
        "resourceList[0].selectors[0]." + key + "[0]: " + problem);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "vendors | 80861 | PCI ID \"80861\": expected 1-4 hex digits (e.g. 8086)",
        "devices | 15zz | PCI ID \"15zz\": 'z' is not a hex digit",
        "drivers | ../vfio | driver name \"../vfio\": '/' is not allowed (letters, digits, _ - . only)",
        "acpiIndexes | 0x65 | ACPI index \"0x65\": expected a decimal number",
        "pKeys | 0xgggg | partition key \"0xgggg\": expected 1-4 hex digits (e.g. 0x7fff)",
        "linkTypes | '' | link type must not be empty",
        "ddpProfiles | '' | DDP profile must not be empty",
      })
  void rejectsInvalidSelectorValues(String key, String value, String problem) {
    rejects(
        one("\"resourceName\": \"a\", \"selectors\": {\"" + key + "\": [\"" + value + "\"]}"),
        "resourceList[0].selectors." + key + "[0]: " + problem);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"resourceList\": {}} | resourceList: expected an array of resource objects, got an"
            + " object",
        "[] | expected an object with a resourceList array at the top, got an array",
        "{\"resourceList\": [\"a\"]} | resourceList[0]: expected a resource object, got a string",
        "{\"resourceList\": [{\"resourceName\": 5, \"selectors\": {}}]} |"
            + " resourceList[0].resourceName: expected a string, got a number",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": \"vendors\"}]} |"
            + " resourceList[0].selectors: expected a selector object or an array of them, got a"
            + " string",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": [[]]}]} |"
            + " resourceList[0].selectors[0]: expected a selector object, got an array",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {\"vendors\": \"8086\"}}]} |"
            + " resourceList[0].selectors.vendors: expected an array of strings, got a string",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {\"vendors\": [8086]}}]} |"
            + " resourceList[0].selectors.vendors[0]: expected a string, got a number",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {\"isRdma\": \"true\"}}]} |"
            + " resourceList[0].selectors.isRdma: expected true or false, got a string",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"excludeTopology\": 1, \"selectors\": {}}]}"
            + " | resourceList[0].excludeTopology: expected true or false, got a number",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"deviceType\": true, \"selectors\": {}}]}"
            + " | resourceList[0].deviceType: expected a string, got a boolean",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}, \"additionalInfo\":"
            + " []}]} | resourceList[0].additionalInfo: expected an object of {\"*\" or device ID:"
            + " {key: value}}, got an array",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}, \"additionalInfo\":"
            + " {\"*\": \"x\"}}]} | resourceList[0].additionalInfo.*: expected an object of string"
            + " values, got a string",
        "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}, \"additionalInfo\":"
            + " {\"*\": {\"n\": 1}}}]} | resourceList[0].additionalInfo.*.n: expected a string, got"
            + " a number",
      })
  void rejectsWrongJsonTypes(String text, String message) {
    rejects(text, message);
  }

  @Test
  void rejectsWrongTypesInYamlToo() {
    rejects(
        "resourceList:\n  - resourceName: a\n    selectors:\n      vendors: 8086\n",
        "resourceList[0].selectors.vendors: expected an array of strings, got a string");
    rejects(
        "resourceList:\n  - resourceName: a\n    selectors:\n      isRdma: \"true\"\n",
        "resourceList[0].selectors.isRdma: expected true or false, got a string");
  }

  @Test
  void yamlPlainScalarsKeepTheTextTheUserWrote() {
    // YAML would read 8086 as an int, 1e10 as a float and 0000:45:00.0 as a base-60 number.
    ResourceList list =
        parse(
            """
            resourceList:
              - resourceName: 10
                selectors:
                  vendors: [8086, 0x15b3]
                  devices: [1e10]
                  acpiIndexes: [101]
                  pciAddresses: [0000:45:00.0]
                  rootDevices: [0000:45:00.0#1-2]
            """);

    assertThat(list.resources().get(0).selectors().get(0).toString())
        .isEqualTo(
            "NetDeviceSelector[vendors=[8086, 15b3], devices=[1e10], drivers=[],"
                + " pciAddresses=[0000:45:00.0], acpiIndexes=[101], pfNames=[],"
                + " rootDevices=[0000:45:00.0#1-2], linkTypes=[], ddpProfiles=[], pKeys=[],"
                + " isRdma=false, needVhostNet=false, vdpaType=Optional.empty]");
    assertThat(list.resources().get(0).name().value()).isEqualTo("10");
  }

  @Test
  void rejectsASecondYamlDocument() {
    rejects(
        "resourceList: []\n---\nresourceList: []\n",
        "line 3, column 1: malformed YAML: more than one document");
  }
}
