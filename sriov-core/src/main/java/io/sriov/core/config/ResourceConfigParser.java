package io.sriov.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.VdpaType;
import io.sriov.core.json.GoStruct;
import io.sriov.core.json.JsonBindException;
import io.sriov.core.json.JsonInput;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.AuxNetDeviceSelector;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.core.selector.NameWithRanges;
import io.sriov.core.selector.NetDeviceSelector;
import io.sriov.core.selector.PartitionKey;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the device plugin's resource configuration ({@code /etc/pcidp/config.json}, or the
 * operator's per-node ConfigMap entry), in JSON or YAML, the way upstream's Go code reads it:
 *
 * <ul>
 *   <li>Keys match case-insensitively, an exact spelling winning ({@code IsRdma} and {@code isRdma}
 *       are the same key); for a key given twice the last one counts. A {@code null} value is the
 *       same as leaving the key out.
 *   <li>Keys upstream does not know are accepted and ignored, each reported in {@link
 *       ResourceList#warnings()} with its path.
 *   <li>{@code selectors} is one selector object or an array of them.
 *   <li>Besides upstream's keys, a resource may carry our {@code allocationPolicy} ({@code spread},
 *       the default, or {@code pack}; see {@link AllocationPolicy}) and {@code carrierHealth}
 *       ({@code true}, the default, or {@code false}; see {@link ResourceConfig#carrierHealth()}).
 * </ul>
 *
 * The Go binding rules live in {@link GoStruct}; this class says which fields exist and what they
 * mean.
 *
 * <p>Where upstream silently accepts something that can never work, this parser rejects it with a
 * {@link ConfigException} naming the entry and field: malformed JSON/YAML, a missing or invalid
 * {@code resourceName}, an invalid {@code resourcePrefix}, an unknown {@code deviceType} or {@code
 * allocationPolicy}, a selector that does not exist for the pool's device type, {@code isRdma}
 * together with {@code vdpaType}, an unknown {@code vdpaType}, the same resource name twice under
 * one prefix, a missing or empty {@code selectors}, a malformed or reversed index range, an invalid
 * PCI address, ID, driver or interface name, and values of the wrong JSON type. The first problem
 * found is reported.
 *
 * <p>In YAML, plain (unquoted) scalars keep the text the user wrote, so {@code vendors: [8086]} and
 * {@code pciAddresses: [0000:45:00.0]} work although YAML would read numbers there.
 *
 * <p>Two deliberate leniencies: a trailing comma before {@code ]} or <code>}</code> is accepted
 * (upstream's own README example has one), and vendor/device IDs may be written {@code 0x8086} or
 * in upper case. An empty or missing {@code resourceList} is not an error: the result is simply
 * empty and the caller decides (upstream's device plugin exits with "no resource configuration").
 *
 * <p>Thread-safe; one instance can be shared.
 */
public final class ResourceConfigParser {

  static final List<String> TOP_KEYS = List.of("resourceList");
  static final List<String> RESOURCE_KEYS =
      List.of(
          "resourceName",
          "resourcePrefix",
          "deviceType",
          "excludeTopology",
          "allocationPolicy",
          "carrierHealth",
          "selectors",
          "additionalInfo");

  /** Every selector upstream knows, in its filter order. */
  static final List<String> SELECTOR_KEYS =
      List.of(
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
          "needVhostNet",
          "vdpaType",
          "auxTypes");

  static final Map<DeviceType, List<String>> SELECTORS_BY_TYPE =
      Map.of(
          DeviceType.NET_DEVICE,
          List.of(
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
              "needVhostNet",
              "vdpaType"),
          DeviceType.ACCELERATOR,
          List.of("vendors", "devices", "drivers", "pciAddresses", "acpiIndexes"),
          DeviceType.AUX_NET_DEVICE,
          List.of(
              "vendors",
              "devices",
              "drivers",
              "pfNames",
              "rootDevices",
              "linkTypes",
              "isRdma",
              "needVhostNet",
              "auxTypes"));

  private final JsonMapper json;
  private final YAMLMapper yaml;

  public ResourceConfigParser() {
    this.json =
        JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    this.yaml = YAMLMapper.builder().build();
  }

  /**
   * Parses a whole configuration.
   *
   * @param text the file content; JSON when it starts with <code>{</code> or {@code [}, YAML
   *     otherwise
   * @param sourceName where the text came from, kept in {@link ConfigException#source()}
   * @param defaultPrefix the prefix of entries without {@code resourcePrefix} (upstream's {@code
   *     -resource-prefix}, {@code intel.com} by default)
   * @throws ConfigException for the first problem found
   */
  public ResourceList parse(String text, String sourceName, ResourcePrefix defaultPrefix) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(defaultPrefix, "defaultPrefix");
    return new Run(sourceName, defaultPrefix).parse(text);
  }

  /** The state of one parse: where the text came from, and the warnings so far. */
  private final class Run {
    private final String source;
    private final ResourcePrefix defaultPrefix;
    private final List<String> warnings = new ArrayList<>();

    Run(String source, ResourcePrefix defaultPrefix) {
      this.source = source;
      this.defaultPrefix = defaultPrefix;
    }

    ResourceList parse(String text) {
      JsonInput root = JsonInput.root(read(text));
      try {
        return resources(root);
      } catch (JsonBindException e) {
        throw fail(e.path(), e.problem());
      }
    }

    private ResourceList resources(JsonInput root) {
      GoStruct top =
          root.struct("an object with a resourceList array at the top", TOP_KEYS, this::unknownKey);
      List<ResourceConfig> out = new ArrayList<>();
      Optional<JsonInput> list = top.get("resourceList");
      if (list.isPresent()) {
        Map<String, Integer> seen = new HashMap<>();
        List<JsonInput> items = list.get().items("an array of resource objects");
        for (int i = 0; i < items.size(); i++) {
          ResourceConfig rc = resource(items.get(i));
          Integer earlier = seen.putIfAbsent(rc.fullName(), i);
          if (earlier != null) {
            throw fail(
                items.get(i).path() + ".resourceName",
                InvalidValueException.quote(rc.name().value())
                    + " is already used by "
                    + list.get().path()
                    + "["
                    + earlier
                    + "] under prefix "
                    + rc.prefix());
          }
          out.add(rc);
        }
      }
      return new ResourceList(out, warnings);
    }

    private JsonNode read(String text) {
      String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
      int first = 0;
      while (first < t.length() && Character.isWhitespace(t.charAt(first))) {
        first++;
      }
      if (first == t.length()) {
        throw fail("", "document is empty (expected an object with a resourceList array)");
      }
      char c = t.charAt(first);
      boolean isJson = c == '{' || c == '[';
      JsonNode root;
      try {
        root = isJson ? json.readTree(t) : readYaml(t);
      } catch (JsonProcessingException e) {
        throw fail("", syntaxError(isJson, e));
      } catch (ConfigException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // SnakeYAML may surface its own exceptions for exotic input.
        throw fail("", malformed(isJson) + firstLine(String.valueOf(e.getMessage())));
      }
      if (root == null || root.isMissingNode() || root.isNull()) {
        throw fail("", "document is empty (expected an object with a resourceList array)");
      }
      return root;
    }

    /**
     * Builds the tree from YAML tokens, keeping every plain scalar's source text: YAML would make
     * {@code 8086} a number and {@code 0000:45:00.0} a (sexagesimal) number, but here they can only
     * be IDs and addresses, so they stay the text the user wrote.
     */
    private JsonNode readYaml(String text) throws IOException {
      try (JsonParser p = yaml.createParser(text)) {
        if (p.nextToken() == null) {
          return MissingNode.getInstance();
        }
        JsonNode root = yamlValue(p);
        if (p.nextToken() != null) {
          throw fail("", location(p.currentLocation()) + "malformed YAML: more than one document");
        }
        return root;
      }
    }

    private JsonNode yamlValue(JsonParser p) throws IOException {
      JsonNodeFactory f = JsonNodeFactory.instance;
      return switch (p.currentToken()) {
        case START_OBJECT -> {
          ObjectNode o = f.objectNode();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            o.set(key, yamlValue(p));
          }
          yield o;
        }
        case START_ARRAY -> {
          ArrayNode a = f.arrayNode();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            a.add(yamlValue(p));
          }
          yield a;
        }
        case VALUE_TRUE -> f.booleanNode(true);
        case VALUE_FALSE -> f.booleanNode(false);
        case VALUE_NULL -> f.nullNode();
        default -> f.textNode(p.getText());
      };
    }

    private ResourceConfig resource(JsonInput node) {
      GoStruct f = node.struct("a resource object", RESOURCE_KEYS, this::unknownResourceKey);

      JsonInput nameField =
          f.get("resourceName")
              .orElseThrow(
                  () ->
                      fail(node.path() + ".resourceName", "missing (every resource needs a name)"));
      ResourceName name = nameField.as(ResourceName::of);

      ResourcePrefix prefix = defaultPrefix;
      Optional<JsonInput> prefixField = f.get("resourcePrefix");
      if (prefixField.isPresent()) {
        String p = prefixField.get().string();
        if (!p.isEmpty()) {
          prefix = prefixField.get().parse(p, ResourcePrefix::of);
        }
      }

      DeviceType type =
          named(
              f.get("deviceType"),
              DeviceType::fromConfigName,
              DeviceType.NET_DEVICE,
              "device type",
              "netDevice, accelerator, auxNetDevice");
      AllocationPolicy policy =
          named(
              f.get("allocationPolicy"),
              AllocationPolicy::fromConfigName,
              AllocationPolicy.DEFAULT,
              "allocation policy",
              "spread, pack");
      boolean excludeTopology = f.flag("excludeTopology");
      boolean carrierHealth = f.get("carrierHealth").map(JsonInput::bool).orElse(true);

      JsonInput sel =
          f.get("selectors")
              .orElseThrow(
                  () ->
                      fail(
                          node.path() + ".selectors",
                          "missing (give a selector object or an array of them; {} selects every "
                              + type.configName()
                              + ")"));
      List<DeviceSelector> selectors = new ArrayList<>();
      if (sel.isObject()) {
        selectors.add(selector(sel, type));
      } else if (sel.isArray()) {
        List<JsonInput> items = sel.items("an array");
        if (items.isEmpty()) {
          throw fail(sel.path(), "empty array (give at least one selector object)");
        }
        for (JsonInput s : items) {
          if (!s.isObject()) {
            throw s.fail("expected a selector object, got " + s.kind());
          }
          selectors.add(selector(s, type));
        }
      } else {
        throw sel.fail("expected a selector object or an array of them, got " + sel.kind());
      }

      AdditionalInfo info =
          f.get("additionalInfo").map(this::additionalInfo).orElse(AdditionalInfo.NONE);
      return new ResourceConfig(
          name, prefix, type, excludeTopology, selectors, info, policy, carrierHealth);
    }

    /**
     * A string field naming one of a closed set, compared case-sensitively as upstream compares
     * {@code deviceType}; absent or empty is the default.
     */
    private <T> T named(
        Optional<JsonInput> field,
        Function<String, Optional<T>> lookup,
        T absent,
        String what,
        String valid) {
      if (field.isEmpty()) {
        return absent;
      }
      String t = field.get().string();
      if (t.isEmpty()) {
        return absent;
      }
      return lookup
          .apply(t)
          .orElseThrow(
              () ->
                  field
                      .get()
                      .fail(
                          "unknown "
                              + what
                              + " "
                              + InvalidValueException.quote(t)
                              + " (valid: "
                              + valid
                              + ")"));
    }

    private DeviceSelector selector(JsonInput node, DeviceType type) {
      GoStruct f =
          node.struct(
              "a selector object",
              SELECTORS_BY_TYPE.get(type),
              (p, k) -> unknownSelectorKey(p, k, type));
      List<PciId> vendors = f.list("vendors", PciId::parse);
      List<PciId> devices = f.list("devices", PciId::parse);
      List<DriverName> drivers = f.list("drivers", DriverName::of);
      switch (type) {
        case ACCELERATOR -> {
          return new AcceleratorSelector(
              vendors,
              devices,
              drivers,
              f.list("pciAddresses", PciAddress::parse),
              f.list("acpiIndexes", ResourceConfigParser::acpiIndex));
        }
        case AUX_NET_DEVICE -> {
          return new AuxNetDeviceSelector(
              vendors,
              devices,
              drivers,
              f.list("pfNames", s -> NameWithRanges.parse(s, InterfaceName::of)),
              f.list("rootDevices", s -> NameWithRanges.parse(s, PciAddress::parse)),
              f.list("linkTypes", ResourceConfigParser::linkType),
              f.list("auxTypes", s -> nonEmpty("auxiliary device type", s)),
              f.flag("isRdma"),
              f.flag("needVhostNet"));
        }
        case NET_DEVICE -> {
          boolean rdma = f.flag("isRdma");
          Optional<VdpaType> vdpa =
              Optional.ofNullable(
                  named(
                      f.get("vdpaType"),
                      VdpaType::fromConfigName,
                      null,
                      "vDPA type",
                      "virtio, vhost"));
          if (rdma && vdpa.isPresent()) {
            throw node.fail("isRdma and vdpaType cannot be used together");
          }
          return NetDeviceSelector.builder()
              .vendors(vendors)
              .devices(devices)
              .drivers(drivers)
              .pciAddresses(f.list("pciAddresses", PciAddress::parse))
              .acpiIndexes(f.list("acpiIndexes", ResourceConfigParser::acpiIndex))
              .pfNames(f.list("pfNames", s -> NameWithRanges.parse(s, InterfaceName::of)))
              .rootDevices(f.list("rootDevices", s -> NameWithRanges.parse(s, PciAddress::parse)))
              .linkTypes(f.list("linkTypes", ResourceConfigParser::linkType))
              .ddpProfiles(f.list("ddpProfiles", s -> nonEmpty("DDP profile", s)))
              .pKeys(f.list("pKeys", PartitionKey::parse))
              .isRdma(rdma)
              .needVhostNet(f.flag("needVhostNet"))
              .vdpaType(vdpa.orElse(null))
              .build();
        }
      }
      throw new IllegalStateException("unreachable: " + type);
    }

    private AdditionalInfo additionalInfo(JsonInput f) {
      Map<String, Map<String, String>> entries = new LinkedHashMap<>();
      for (Map.Entry<String, JsonInput> e :
          f.entries("an object of {\"*\" or device ID: {key: value}}").entrySet()) {
        String key = e.getKey();
        JsonInput v = e.getValue();
        if (v.node().isNull()) {
          continue;
        }
        Map<String, JsonInput> values = v.entries("an object of string values");
        if (!key.equals(AdditionalInfo.ALL_DEVICES) && !PciAddress.isValid(key)) {
          warnings.add(
              v.path()
                  + (isAuxName(key)
                      ? ": an auxiliary device name applies to no device; as upstream, a"
                          + " sub-function takes the entry of its parent PF's PCI address"
                      : ": key is neither \"*\" nor a PCI address, it applies to no device"));
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        values.forEach((k, value) -> pairs.put(k, value.string()));
        entries.put(key, pairs);
      }
      return new AdditionalInfo(entries);
    }

    private void unknownKey(String keyPath, String key) {
      warnings.add(keyPath + ": unknown key, ignored");
    }

    /** The 2019 README put isRdma beside resourceName; upstream has ignored it there since. */
    private void unknownResourceKey(String keyPath, String key) {
      if (GoStruct.match(key, SELECTOR_KEYS).isPresent()) {
        warnings.add(
            keyPath + ": a selector key outside \"selectors\", ignored (move it into selectors)");
      } else {
        unknownKey(keyPath, key);
      }
    }

    /** A selector of another device type is an error: the user meant it to filter. */
    private void unknownSelectorKey(String keyPath, String key, DeviceType type) {
      if (GoStruct.match(key, SELECTOR_KEYS).isEmpty()) {
        unknownKey(keyPath, key);
        return;
      }
      throw fail(
          keyPath,
          "not a selector for deviceType "
              + type.configName()
              + " ("
              + type.configName()
              + " selectors: "
              + String.join(", ", SELECTORS_BY_TYPE.get(type))
              + ")");
    }

    private ConfigException fail(String path, String problem) {
      return new ConfigException(source, path, problem);
    }
  }

  private static boolean isAuxName(String key) {
    try {
      AuxDeviceName.parse(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int acpiIndex(String s) {
    if (s.isEmpty() || s.length() > 9) {
      throw new InvalidValueException(
          "ACPI index " + InvalidValueException.quote(s) + ": expected a decimal number");
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new InvalidValueException(
            "ACPI index " + InvalidValueException.quote(s) + ": expected a decimal number");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static LinkType linkType(String s) {
    if (s.isBlank()) {
      throw new InvalidValueException("link type must not be empty");
    }
    return new LinkType(s);
  }

  private static String nonEmpty(String what, String s) {
    if (s.isEmpty()) {
      throw new InvalidValueException(what + " must not be empty");
    }
    return s;
  }

  private static String syntaxError(boolean isJson, JsonProcessingException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        // SnakeYAML's problem and its position say more than its context line.
        return "line "
            + (m.getProblemMark().getLine() + 1)
            + ", column "
            + (m.getProblemMark().getColumn() + 1)
            + ": malformed YAML: "
            + firstLine(m.getProblem());
      }
    }
    String msg = firstLine(e.getOriginalMessage());
    if (msg.startsWith("Trailing token")) {
      msg = "unexpected content after the end of the document";
    }
    return location(e.getLocation()) + malformed(isJson) + msg;
  }

  private static String location(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
  }

  private static String malformed(boolean isJson) {
    return isJson ? "malformed JSON: " : "malformed YAML: ";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
