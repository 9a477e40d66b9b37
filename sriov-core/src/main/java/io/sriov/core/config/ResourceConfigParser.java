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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
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
 * </ul>
 *
 * Where upstream silently accepts something that can never work, this parser rejects it with a
 * {@link ConfigException} naming the entry and field: malformed JSON/YAML, a missing or invalid
 * {@code resourceName}, an invalid {@code resourcePrefix}, an unknown {@code deviceType}, a
 * selector that does not exist for the pool's device type, {@code isRdma} together with {@code
 * vdpaType}, an unknown {@code vdpaType}, the same resource name twice under one prefix, a missing
 * or empty {@code selectors}, a malformed or reversed index range, an invalid PCI address, ID,
 * driver or interface name, and values of the wrong JSON type. The first problem found is reported.
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
      JsonNode root = read(text);
      if (!root.isObject()) {
        throw fail(
            "", "expected an object with a resourceList array at the top, got " + kind(root));
      }
      Map<String, Field> top = fields("", root, TOP_KEYS, this::unknownKey);
      Field list = top.get("resourceList");
      List<ResourceConfig> out = new ArrayList<>();
      if (list != null) {
        if (!list.node.isArray()) {
          throw fail(list.path, "expected an array of resource objects, got " + kind(list.node));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.node.size(); i++) {
          String path = list.path + "[" + i + "]";
          ResourceConfig rc = resource(path, list.node.get(i));
          Integer earlier = seen.putIfAbsent(rc.fullName(), i);
          if (earlier != null) {
            throw fail(
                path + ".resourceName",
                InvalidValueException.quote(rc.name().value())
                    + " is already used by "
                    + list.path
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

    private ResourceConfig resource(String path, JsonNode node) {
      if (!node.isObject()) {
        throw fail(path, "expected a resource object, got " + kind(node));
      }
      Map<String, Field> f = fields(path, node, RESOURCE_KEYS, this::unknownResourceKey);

      Field nameField = f.get("resourceName");
      if (nameField == null) {
        throw fail(path + ".resourceName", "missing (every resource needs a name)");
      }
      ResourceName name = value(nameField.path, text(nameField), ResourceName::of);

      ResourcePrefix prefix = defaultPrefix;
      Field prefixField = f.get("resourcePrefix");
      if (prefixField != null) {
        String p = text(prefixField);
        if (!p.isEmpty()) {
          prefix = value(prefixField.path, p, ResourcePrefix::of);
        }
      }

      DeviceType type = DeviceType.NET_DEVICE;
      Field typeField = f.get("deviceType");
      if (typeField != null) {
        String t = text(typeField);
        if (!t.isEmpty()) {
          type =
              DeviceType.fromConfigName(t)
                  .orElseThrow(
                      () ->
                          fail(
                              typeField.path,
                              "unknown device type "
                                  + InvalidValueException.quote(t)
                                  + " (valid: netDevice, accelerator, auxNetDevice)"));
        }
      }

      boolean excludeTopology = false;
      Field topo = f.get("excludeTopology");
      if (topo != null) {
        excludeTopology = bool(topo);
      }

      Field sel = f.get("selectors");
      if (sel == null) {
        throw fail(
            path + ".selectors",
            "missing (give a selector object or an array of them; {} selects every "
                + type.configName()
                + ")");
      }
      List<DeviceSelector> selectors = new ArrayList<>();
      if (sel.node.isObject()) {
        selectors.add(selector(sel.path, sel.node, type));
      } else if (sel.node.isArray()) {
        if (sel.node.isEmpty()) {
          throw fail(sel.path, "empty array (give at least one selector object)");
        }
        for (int i = 0; i < sel.node.size(); i++) {
          String p = sel.path + "[" + i + "]";
          JsonNode s = sel.node.get(i);
          if (!s.isObject()) {
            throw fail(p, "expected a selector object, got " + kind(s));
          }
          selectors.add(selector(p, s, type));
        }
      } else {
        throw fail(
            sel.path, "expected a selector object or an array of them, got " + kind(sel.node));
      }

      AdditionalInfo info = AdditionalInfo.NONE;
      Field ai = f.get("additionalInfo");
      if (ai != null) {
        info = additionalInfo(ai);
      }
      return new ResourceConfig(name, prefix, type, excludeTopology, selectors, info);
    }

    private DeviceSelector selector(String path, JsonNode node, DeviceType type) {
      Map<String, Field> f =
          fields(path, node, SELECTORS_BY_TYPE.get(type), (p, k) -> unknownSelectorKey(p, k, type));
      List<PciId> vendors = list(f.get("vendors"), PciId::parse);
      List<PciId> devices = list(f.get("devices"), PciId::parse);
      List<DriverName> drivers = list(f.get("drivers"), DriverName::of);
      switch (type) {
        case ACCELERATOR -> {
          return new AcceleratorSelector(
              vendors,
              devices,
              drivers,
              list(f.get("pciAddresses"), PciAddress::parse),
              list(f.get("acpiIndexes"), ResourceConfigParser::acpiIndex));
        }
        case AUX_NET_DEVICE -> {
          return new AuxNetDeviceSelector(
              vendors,
              devices,
              drivers,
              list(f.get("pfNames"), s -> NameWithRanges.parse(s, InterfaceName::of)),
              list(f.get("rootDevices"), s -> NameWithRanges.parse(s, PciAddress::parse)),
              list(f.get("linkTypes"), ResourceConfigParser::linkType),
              list(f.get("auxTypes"), s -> nonEmpty("auxiliary device type", s)),
              flag(f.get("isRdma")),
              flag(f.get("needVhostNet")));
        }
        case NET_DEVICE -> {
          boolean rdma = flag(f.get("isRdma"));
          Optional<VdpaType> vdpa = vdpaType(f.get("vdpaType"));
          if (rdma && vdpa.isPresent()) {
            throw fail(path, "isRdma and vdpaType cannot be used together");
          }
          return NetDeviceSelector.builder()
              .vendors(vendors)
              .devices(devices)
              .drivers(drivers)
              .pciAddresses(list(f.get("pciAddresses"), PciAddress::parse))
              .acpiIndexes(list(f.get("acpiIndexes"), ResourceConfigParser::acpiIndex))
              .pfNames(list(f.get("pfNames"), s -> NameWithRanges.parse(s, InterfaceName::of)))
              .rootDevices(
                  list(f.get("rootDevices"), s -> NameWithRanges.parse(s, PciAddress::parse)))
              .linkTypes(list(f.get("linkTypes"), ResourceConfigParser::linkType))
              .ddpProfiles(list(f.get("ddpProfiles"), s -> nonEmpty("DDP profile", s)))
              .pKeys(list(f.get("pKeys"), PartitionKey::parse))
              .isRdma(rdma)
              .needVhostNet(flag(f.get("needVhostNet")))
              .vdpaType(vdpa.orElse(null))
              .build();
        }
      }
      throw new IllegalStateException("unreachable: " + type);
    }

    private Optional<VdpaType> vdpaType(Field f) {
      if (f == null) {
        return Optional.empty();
      }
      String t = text(f);
      if (t.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          VdpaType.fromConfigName(t)
              .orElseThrow(
                  () ->
                      fail(
                          f.path,
                          "unknown vDPA type "
                              + InvalidValueException.quote(t)
                              + " (valid: virtio, vhost)")));
    }

    private AdditionalInfo additionalInfo(Field f) {
      if (!f.node.isObject()) {
        throw fail(
            f.path,
            "expected an object of {\"*\" or device ID: {key: value}}, got " + kind(f.node));
      }
      Map<String, Map<String, String>> entries = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = f.node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        String path = f.path + "." + key;
        JsonNode v = e.getValue();
        if (v.isNull()) {
          continue;
        }
        if (!v.isObject()) {
          throw fail(path, "expected an object of string values, got " + kind(v));
        }
        if (!key.equals(AdditionalInfo.ALL_DEVICES) && !PciAddress.isValid(key)) {
          warnings.add(
              path
                  + (isAuxName(key)
                      ? ": an auxiliary device name applies to no device; as upstream, a"
                          + " sub-function takes the entry of its parent PF's PCI address"
                      : ": key is neither \"*\" nor a PCI address, it applies to no device"));
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> jt = v.fields(); jt.hasNext(); ) {
          Map.Entry<String, JsonNode> p = jt.next();
          if (!p.getValue().isTextual()) {
            throw fail(path + "." + p.getKey(), "expected a string, got " + kind(p.getValue()));
          }
          pairs.put(p.getKey(), p.getValue().textValue());
        }
        entries.put(key, pairs);
      }
      return new AdditionalInfo(entries);
    }

    /**
     * The object's keys matched to {@code valid} the way Go's encoding/json matches struct fields;
     * a key that matches none goes to {@code unknown}, which warns or throws.
     */
    private Map<String, Field> fields(
        String path, JsonNode obj, List<String> valid, BiConsumer<String, String> unknown) {
      Map<String, Field> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        String canonical = match(key, valid);
        if (canonical == null) {
          unknown.accept(keyPath, key);
        } else if (e.getValue().isNull()) {
          out.remove(canonical);
        } else {
          out.put(canonical, new Field(keyPath, e.getValue()));
        }
      }
      return out;
    }

    private void unknownKey(String keyPath, String key) {
      warnings.add(keyPath + ": unknown key, ignored");
    }

    /** The 2019 README put isRdma beside resourceName; upstream has ignored it there since. */
    private void unknownResourceKey(String keyPath, String key) {
      if (match(key, SELECTOR_KEYS) != null) {
        warnings.add(
            keyPath + ": a selector key outside \"selectors\", ignored (move it into selectors)");
      } else {
        unknownKey(keyPath, key);
      }
    }

    /** A selector of another device type is an error: the user meant it to filter. */
    private void unknownSelectorKey(String keyPath, String key, DeviceType type) {
      if (match(key, SELECTOR_KEYS) == null) {
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

    private String text(Field f) {
      if (!f.node.isTextual()) {
        throw fail(f.path, "expected a string, got " + kind(f.node));
      }
      return f.node.textValue();
    }

    private boolean bool(Field f) {
      if (!f.node.isBoolean()) {
        throw fail(f.path, "expected true or false, got " + kind(f.node));
      }
      return f.node.booleanValue();
    }

    private boolean flag(Field f) {
      return f != null && bool(f);
    }

    private <T> List<T> list(Field f, Function<String, T> parser) {
      if (f == null) {
        return List.of();
      }
      if (!f.node.isArray()) {
        throw fail(f.path, "expected an array of strings, got " + kind(f.node));
      }
      List<T> out = new ArrayList<>(f.node.size());
      for (int i = 0; i < f.node.size(); i++) {
        JsonNode item = f.node.get(i);
        String p = f.path + "[" + i + "]";
        if (!item.isTextual()) {
          throw fail(p, "expected a string, got " + kind(item));
        }
        out.add(value(p, item.textValue(), parser));
      }
      return out;
    }

    private <T> T value(String path, String text, Function<String, T> parser) {
      try {
        return parser.apply(text);
      } catch (IllegalArgumentException e) {
        throw fail(path, e.getMessage());
      }
    }

    private ConfigException fail(String path, String problem) {
      return new ConfigException(source, path, problem);
    }
  }

  private record Field(String path, JsonNode node) {}

  /** Go's encoding/json rule: an exact match wins, else a case-insensitive one. */
  private static String match(String key, List<String> candidates) {
    for (String c : candidates) {
      if (c.equals(key)) {
        return c;
      }
    }
    for (String c : candidates) {
      if (c.equalsIgnoreCase(key)) {
        return c;
      }
    }
    return null;
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

  private static String kind(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isNull()) {
      return "null";
    }
    return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
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
