package io.sriov.daemon.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sriov.core.value.InvalidValueException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads and writes {@link SriovNetworkNodeState} objects as YAML or JSON, with upstream's JSON
 * names and Go's {@code omitempty} rules (zero values are left out when writing and mean "absent"
 * when reading; {@code pciAddress} and {@code vfID} are always written). The one place that knows
 * the wire format; everything else works on the records.
 *
 * <p>Reading is strict about what the daemon acts on: {@code apiVersion} and {@code kind} must be
 * upstream's, every {@code spec} field must have its Go type, and an unknown field in {@code spec}
 * is an error (a misspelt {@code numvfs} must not silently mean 0). {@code status} is read
 * leniently: it is the daemon's own output.
 */
public final class NodeStateCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final Set<String> SPEC_FIELDS = Set.of("interfaces", "bridges", "system");
  private static final Set<String> INTERFACE_FIELDS =
      Set.of(
          "pciAddress",
          "numVfs",
          "mtu",
          "name",
          "linkType",
          "eSwitchMode",
          "vfGroups",
          "externallyManaged");
  private static final Set<String> GROUP_FIELDS =
      Set.of("resourceName", "deviceType", "vfRange", "policyName", "mtu", "isRdma", "vdpaType");

  /** Parses a YAML or JSON document (JSON is YAML). */
  public SriovNetworkNodeState read(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new NodeStateFormatException(
          "not a YAML or JSON document: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new NodeStateFormatException("empty document: expected a SriovNetworkNodeState");
    }
    if (!root.isObject()) {
      throw new NodeStateFormatException(
          "expected a SriovNetworkNodeState object, got " + kindOf(root));
    }
    String apiVersion = string(root, "apiVersion", "apiVersion");
    if (!apiVersion.equals(SriovNetworkNodeState.API_VERSION)) {
      throw new NodeStateFormatException(
          "apiVersion "
              + InvalidValueException.quote(apiVersion)
              + ": expected "
              + SriovNetworkNodeState.API_VERSION);
    }
    String kind = string(root, "kind", "kind");
    if (!kind.equals(SriovNetworkNodeState.KIND)) {
      throw new NodeStateFormatException(
          "kind " + InvalidValueException.quote(kind) + ": expected " + SriovNetworkNodeState.KIND);
    }
    Map<String, Object> metadata = map(root, "metadata", "metadata");
    return new SriovNetworkNodeState(
        apiVersion, kind, metadata, spec(root.get("spec")), status(root.get("status")));
  }

  /**
   * Reads {@code file} (UTF-8); a malformed document's message starts with the file's path.
   *
   * @throws IOException when the file cannot be read
   */
  public SriovNetworkNodeState read(Path file) throws IOException {
    return read(file, Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Reads {@code text}, the content of {@code file}: a malformed document's message starts with the
   * file's path ({@code /etc/x.yaml: spec.interfaces[0]: unknown field "numvfs"}).
   */
  public SriovNetworkNodeState read(Path file, String text) {
    try {
      return read(text);
    } catch (NodeStateFormatException e) {
      throw new NodeStateFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /** The object as YAML, as {@code kubectl get -o yaml} would print it. */
  public String toYaml(SriovNetworkNodeState state) {
    try {
      return YAML.writeValueAsString(tree(state));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object as indented JSON, as {@code kubectl get -o json} would print it. */
  public String toJson(SriovNetworkNodeState state) {
    try {
      return JSON.writeValueAsString(tree(state)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ reading

  /** {@code spec} from its JSON tree (null = absent = empty), with {@link #read}'s strictness. */
  static NodeStateSpec spec(JsonNode n) {
    if (n == null || n.isNull()) {
      return NodeStateSpec.of(List.of());
    }
    requireObject(n, "spec");
    rejectUnknown(n, "spec", SPEC_FIELDS);
    List<InterfaceSpec> interfaces =
        list(n, "interfaces", "spec.interfaces", NodeStateCodec::interfaceSpec);
    return new NodeStateSpec(
        interfaces, map(n, "bridges", "spec.bridges"), map(n, "system", "spec.system"));
  }

  private static InterfaceSpec interfaceSpec(JsonNode n, String path) {
    requireObject(n, path);
    rejectUnknown(n, path, INTERFACE_FIELDS);
    if (!n.has("pciAddress") || n.get("pciAddress").isNull()) {
      throw new NodeStateFormatException(path + ".pciAddress: required");
    }
    return new InterfaceSpec(
        string(n, "pciAddress", path + ".pciAddress"),
        integer(n, "numVfs", path + ".numVfs"),
        integer(n, "mtu", path + ".mtu"),
        string(n, "name", path + ".name"),
        string(n, "linkType", path + ".linkType"),
        string(n, "eSwitchMode", path + ".eSwitchMode"),
        list(n, "vfGroups", path + ".vfGroups", NodeStateCodec::groupSpec),
        bool(n, "externallyManaged", path + ".externallyManaged"));
  }

  private static VfGroupSpec groupSpec(JsonNode n, String path) {
    requireObject(n, path);
    rejectUnknown(n, path, GROUP_FIELDS);
    return new VfGroupSpec(
        string(n, "resourceName", path + ".resourceName"),
        string(n, "deviceType", path + ".deviceType"),
        string(n, "vfRange", path + ".vfRange"),
        string(n, "policyName", path + ".policyName"),
        integer(n, "mtu", path + ".mtu"),
        bool(n, "isRdma", path + ".isRdma"),
        string(n, "vdpaType", path + ".vdpaType"));
  }

  /** {@code status} from its JSON tree (null = absent = empty), read leniently. */
  static NodeStateStatus status(JsonNode n) {
    if (n == null || n.isNull()) {
      return NodeStateStatus.EMPTY;
    }
    requireObject(n, "status");
    List<Object> conditions = new ArrayList<>();
    JsonNode c = n.get("conditions");
    if (c != null && c.isArray()) {
      conditions.addAll(JSON.convertValue(c, List.class));
    }
    return new NodeStateStatus(
        list(n, "interfaces", "status.interfaces", NodeStateCodec::interfaceStatus),
        string(n, "syncStatus", "status.syncStatus"),
        string(n, "lastSyncError", "status.lastSyncError"),
        map(n, "bridges", "status.bridges"),
        map(n, "system", "status.system"),
        conditions);
  }

  private static InterfaceStatus interfaceStatus(JsonNode n, String path) {
    requireObject(n, path);
    return new InterfaceStatus(
        string(n, "name", path + ".name"),
        string(n, "mac", path + ".mac"),
        string(n, "driver", path + ".driver"),
        string(n, "pciAddress", path + ".pciAddress"),
        string(n, "vendor", path + ".vendor"),
        string(n, "deviceID", path + ".deviceID"),
        string(n, "netFilter", path + ".netFilter"),
        integer(n, "mtu", path + ".mtu"),
        integer(n, "numVfs", path + ".numVfs"),
        string(n, "linkSpeed", path + ".linkSpeed"),
        string(n, "linkType", path + ".linkType"),
        string(n, "linkAdminState", path + ".linkAdminState"),
        string(n, "eSwitchMode", path + ".eSwitchMode"),
        bool(n, "externallyManaged", path + ".externallyManaged"),
        integer(n, "totalvfs", path + ".totalvfs"),
        list(n, "Vfs", path + ".Vfs", NodeStateCodec::vfStatus),
        list(n, "altNames", path + ".altNames", (v, p) -> scalarText(v, p)));
  }

  private static VfStatus vfStatus(JsonNode n, String path) {
    requireObject(n, path);
    return new VfStatus(
        string(n, "name", path + ".name"),
        string(n, "mac", path + ".mac"),
        string(n, "assigned", path + ".assigned"),
        string(n, "driver", path + ".driver"),
        string(n, "pciAddress", path + ".pciAddress"),
        string(n, "vendor", path + ".vendor"),
        string(n, "deviceID", path + ".deviceID"),
        integer(n, "Vlan", path + ".Vlan"),
        integer(n, "mtu", path + ".mtu"),
        integer(n, "vfID", path + ".vfID"),
        string(n, "vdpaType", path + ".vdpaType"),
        string(n, "representorName", path + ".representorName"),
        string(n, "guid", path + ".guid"));
  }

  private static void requireObject(JsonNode n, String path) {
    if (!n.isObject()) {
      throw new NodeStateFormatException(path + ": expected an object, got " + kindOf(n));
    }
  }

  private static void rejectUnknown(JsonNode n, String path, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new NodeStateFormatException(
            path + ": unknown field " + InvalidValueException.quote(f));
      }
    }
  }

  private static String string(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    return scalarText(n, path);
  }

  private static String scalarText(JsonNode n, String path) {
    if (!n.isTextual()) {
      throw new NodeStateFormatException(path + ": expected a string, got " + kindOf(n));
    }
    return n.textValue();
  }

  private static int integer(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber()) {
      throw new NodeStateFormatException(path + ": expected an integer, got " + kindOf(n));
    }
    if (!n.canConvertToInt()) {
      throw new NodeStateFormatException(path + ": " + n.asText() + " is out of range");
    }
    return n.intValue();
  }

  private static boolean bool(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new NodeStateFormatException(path + ": expected true or false, got " + kindOf(n));
    }
    return n.booleanValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    requireObject(n, path);
    Map<String, Object> out = new LinkedHashMap<>(JSON.convertValue(n, Map.class));
    out.values().removeIf(Objects::isNull);
    return out;
  }

  private static <T> List<T> list(
      JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> element) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new NodeStateFormatException(path + ": expected a list, got " + kindOf(n));
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      out.add(element.apply(n.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private static String kindOf(JsonNode n) {
    if (n.isTextual()) {
      return "the string " + InvalidValueException.quote(n.textValue());
    }
    if (n.isNumber()) {
      return "the number " + n.asText();
    }
    if (n.isBoolean()) {
      return n.asText();
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "an object";
    }
    return n.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ writing

  private static ObjectNode tree(SriovNetworkNodeState s) {
    ObjectNode root = NODES.objectNode();
    root.put("apiVersion", s.apiVersion());
    root.put("kind", s.kind());
    if (!s.metadata().isEmpty()) {
      root.set("metadata", JSON.valueToTree(s.metadata()));
    }
    ObjectNode spec = specTree(s.spec());
    if (!spec.isEmpty()) {
      root.set("spec", spec);
    }
    ObjectNode status = statusTree(s.status());
    if (!status.isEmpty()) {
      root.set("status", status);
    }
    return root;
  }

  /** {@code spec} as upstream's JSON ({@code omitempty}: zero values left out). */
  static ObjectNode specTree(NodeStateSpec spec) {
    ObjectNode o = NODES.objectNode();
    ArrayNode ifs = NODES.arrayNode();
    for (InterfaceSpec i : spec.interfaces()) {
      ObjectNode n = NODES.objectNode();
      n.put("pciAddress", i.pciAddress());
      putInt(n, "numVfs", i.numVfs());
      putInt(n, "mtu", i.mtu());
      putString(n, "name", i.name());
      putString(n, "linkType", i.linkType());
      putString(n, "eSwitchMode", i.eSwitchMode());
      ArrayNode groups = NODES.arrayNode();
      for (VfGroupSpec g : i.vfGroups()) {
        ObjectNode gn = NODES.objectNode();
        putString(gn, "resourceName", g.resourceName());
        putString(gn, "deviceType", g.deviceType());
        putString(gn, "vfRange", g.vfRange());
        putString(gn, "policyName", g.policyName());
        putInt(gn, "mtu", g.mtu());
        putBool(gn, "isRdma", g.isRdma());
        putString(gn, "vdpaType", g.vdpaType());
        groups.add(gn);
      }
      putArray(n, "vfGroups", groups);
      putBool(n, "externallyManaged", i.externallyManaged());
      ifs.add(n);
    }
    putArray(o, "interfaces", ifs);
    putMap(o, "bridges", spec.bridges());
    putMap(o, "system", spec.system());
    return o;
  }

  /** {@code status} as upstream's JSON ({@code omitempty}: zero values left out). */
  static ObjectNode statusTree(NodeStateStatus status) {
    ObjectNode o = NODES.objectNode();
    ArrayNode ifs = NODES.arrayNode();
    for (InterfaceStatus i : status.interfaces()) {
      ObjectNode n = NODES.objectNode();
      putString(n, "name", i.name());
      putString(n, "mac", i.mac());
      putString(n, "driver", i.driver());
      n.put("pciAddress", i.pciAddress());
      putString(n, "vendor", i.vendor());
      putString(n, "deviceID", i.deviceID());
      putString(n, "netFilter", i.netFilter());
      putInt(n, "mtu", i.mtu());
      putInt(n, "numVfs", i.numVfs());
      putString(n, "linkSpeed", i.linkSpeed());
      putString(n, "linkType", i.linkType());
      putString(n, "linkAdminState", i.linkAdminState());
      putString(n, "eSwitchMode", i.eSwitchMode());
      putBool(n, "externallyManaged", i.externallyManaged());
      putInt(n, "totalvfs", i.totalvfs());
      ArrayNode vfs = NODES.arrayNode();
      for (VfStatus v : i.vfs()) {
        ObjectNode vn = NODES.objectNode();
        putString(vn, "name", v.name());
        putString(vn, "mac", v.mac());
        putString(vn, "assigned", v.assigned());
        putString(vn, "driver", v.driver());
        vn.put("pciAddress", v.pciAddress());
        putString(vn, "vendor", v.vendor());
        putString(vn, "deviceID", v.deviceID());
        putInt(vn, "Vlan", v.vlan());
        putInt(vn, "mtu", v.mtu());
        vn.put("vfID", v.vfID());
        putString(vn, "vdpaType", v.vdpaType());
        putString(vn, "representorName", v.representorName());
        putString(vn, "guid", v.guid());
        vfs.add(vn);
      }
      putArray(n, "Vfs", vfs);
      ArrayNode alt = NODES.arrayNode();
      i.altNames().forEach(alt::add);
      putArray(n, "altNames", alt);
      ifs.add(n);
    }
    putArray(o, "interfaces", ifs);
    putMap(o, "bridges", status.bridges());
    putMap(o, "system", status.system());
    putString(o, "syncStatus", status.syncStatus());
    putString(o, "lastSyncError", status.lastSyncError());
    if (!status.conditions().isEmpty()) {
      o.set("conditions", JSON.valueToTree(status.conditions()));
    }
    return o;
  }

  private static void putString(ObjectNode n, String field, String v) {
    if (!v.isEmpty()) {
      n.put(field, v);
    }
  }

  private static void putInt(ObjectNode n, String field, int v) {
    if (v != 0) {
      n.put(field, v);
    }
  }

  private static void putBool(ObjectNode n, String field, boolean v) {
    if (v) {
      n.put(field, true);
    }
  }

  private static void putArray(ObjectNode n, String field, ArrayNode a) {
    if (!a.isEmpty()) {
      n.set(field, a);
    }
  }

  private static void putMap(ObjectNode n, String field, Map<String, Object> m) {
    if (!m.isEmpty()) {
      n.set(field, JSON.valueToTree(m));
    }
  }
}
