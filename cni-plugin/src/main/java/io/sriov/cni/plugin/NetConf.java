package io.sriov.cni.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.cni.plugin.CniResult.Dns;
import io.sriov.core.json.GoStruct;
import io.sriov.core.json.JsonBindException;
import io.sriov.core.json.JsonInput;
import io.sriov.core.json.JsonTrees;
import io.sriov.core.json.UnknownKey;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The netconf fields every plugin shares (spec 1.1 §3 "Network configuration", plus the two logging
 * keys upstream's SR-IOV plugins read), bound the way Go's {@code encoding/json} binds libcni's
 * {@code types.NetConf}: keys case-insensitive, {@code null} as absent, unknown keys ignored (they
 * are the plugin's own: it binds them from {@link #document()}).
 *
 * @param cniVersion as written; empty when the netconf has none (negotiated by {@link CniVersions})
 * @param name the network name (libcni's rule: letters, digits, {@code _ . -})
 * @param type the plugin type
 * @param ipam the {@code ipam} object, raw (its {@code type} names the IPAM plugin)
 * @param dns the {@code dns} object
 * @param prevResult the previous plugin's result, parsed
 * @param runtimeConfig the {@code runtimeConfig} object, raw (capability arguments)
 * @param capabilities the {@code capabilities} map
 * @param validAttachments GC's {@code cni.dev/valid-attachments} (or its earlier name {@code
 *     cni.dev/attachments}), each validated like {@code CNI_CONTAINERID} and {@code CNI_IFNAME}
 * @param logFile {@code logFile}; empty when unset or {@code ""}
 * @param logLevel {@code logLevel}; empty when unset or {@code ""}
 * @param document the whole netconf, for the plugin's own fields
 */
public record NetConf(
    Optional<String> cniVersion,
    String name,
    String type,
    Optional<ObjectNode> ipam,
    Optional<Dns> dns,
    Optional<CniResult> prevResult,
    Optional<ObjectNode> runtimeConfig,
    Map<String, Boolean> capabilities,
    List<Attachment> validAttachments,
    Optional<String> logFile,
    Optional<String> logLevel,
    JsonInput document) {

  public static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";
  public static final String ATTACHMENTS = "cni.dev/attachments";

  private static final List<String> FIELDS =
      List.of(
          "cniVersion",
          "name",
          "type",
          "ipam",
          "dns",
          "prevResult",
          "runtimeConfig",
          "capabilities",
          VALID_ATTACHMENTS,
          ATTACHMENTS,
          "logFile",
          "logLevel");

  public NetConf {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    capabilities = Map.copyOf(capabilities);
    validAttachments = List.copyOf(validAttachments);
  }

  /** One attachment of GC's valid list. */
  public record Attachment(String containerId, InterfaceName ifName) {}

  /**
   * Parses and validates the shared fields of a netconf.
   *
   * @throws CniException code 6 when it is not a JSON object or a field has the wrong JSON type
   *     (the message names the field's path), code 7 for a missing or invalid {@code name} or an
   *     invalid attachment
   */
  public static NetConf parse(byte[] stdin) {
    JsonNode root;
    try {
      root = JsonTrees.read(stdin);
    } catch (IOException e) {
      throw CniException.decoding("error unmarshall network config: " + ResultCodec.firstLine(e));
    }
    if (root == null || root.isMissingNode()) {
      throw CniException.decoding("error unmarshall network config: empty input");
    }
    JsonInput doc = JsonInput.root(root);
    GoStruct s;
    String name;
    String type;
    Optional<String> version;
    Optional<ObjectNode> ipam;
    Optional<ObjectNode> runtimeConfig;
    Map<String, Boolean> capabilities = new LinkedHashMap<>();
    Optional<Dns> dns;
    Optional<JsonInput> attachments;
    Optional<String> logFile;
    Optional<String> logLevel;
    try {
      s = doc.struct("a network configuration object", FIELDS, UnknownKey.IGNORE);
      version = s.string("cniVersion");
      name = s.string("name").orElse("");
      type = s.string("type").orElse("");
      ipam = s.get("ipam").map(v -> object(v, "an ipam object"));
      runtimeConfig = s.get("runtimeConfig").map(v -> object(v, "a runtimeConfig object"));
      dns = s.get("dns").map(ResultCodec::dns);
      s.get("capabilities")
          .ifPresent(
              c ->
                  c.entries("a capabilities object")
                      .forEach(
                          (k, v) -> {
                            if (!v.node().isNull()) {
                              capabilities.put(k, v.bool());
                            }
                          }));
      attachments = s.get(VALID_ATTACHMENTS).or(() -> s.get(ATTACHMENTS));
      logFile = s.string("logFile").filter(f -> !f.isEmpty());
      logLevel = s.string("logLevel").filter(f -> !f.isEmpty());
    } catch (JsonBindException e) {
      throw CniException.decoding("error unmarshall network config: " + e.getMessage());
    }
    if (name.isEmpty()) {
      throw CniException.invalidConfig("missing network name");
    }
    if (!CniEnvironment.ID.matcher(name).matches()) {
      throw CniException.invalidConfig(
          "network name "
              + InvalidValueException.quote(name)
              + ": invalid characters (allowed: letters, digits, _ . -, starting with a letter or"
              + " digit)");
    }
    Optional<CniResult> prev = s.get("prevResult").map(p -> ResultCodec.parse(p, "prevResult"));
    List<Attachment> valid = attachments.map(NetConf::attachments).orElse(List.of());
    return new NetConf(
        version,
        name,
        type,
        ipam,
        dns,
        prev,
        runtimeConfig,
        capabilities,
        valid,
        logFile,
        logLevel,
        doc);
  }

  /** {@code ipam.type}, when the netconf has an {@code ipam} section with a type. */
  public Optional<String> ipamType() {
    return ipam.map(i -> i.get("type"))
        .filter(JsonNode::isTextual)
        .map(JsonNode::textValue)
        .filter(t -> !t.isEmpty());
  }

  private static ObjectNode object(JsonInput v, String what) {
    if (!v.isObject()) {
      throw v.fail("expected " + what + ", got " + v.kind());
    }
    return (ObjectNode) v.node();
  }

  private static List<Attachment> attachments(JsonInput list) {
    List<Attachment> out = new ArrayList<>();
    List<JsonInput> items;
    try {
      items = list.items("an array of attachments");
    } catch (JsonBindException e) {
      throw CniException.decoding("error unmarshall network config: " + e.getMessage());
    }
    for (JsonInput item : items) {
      GoStruct a;
      String id;
      String ifName;
      try {
        a =
            item.struct(
                "an attachment object", List.of("containerID", "ifname"), UnknownKey.IGNORE);
        id = a.string("containerID").orElse("");
        ifName = a.string("ifname").orElse("");
      } catch (JsonBindException e) {
        throw CniException.decoding("error unmarshall network config: " + e.getMessage());
      }
      if (!CniEnvironment.ID.matcher(id).matches()) {
        throw CniException.invalidConfig(
            item.path()
                + ".containerID "
                + InvalidValueException.quote(id)
                + ": invalid characters (allowed: letters, digits, _ . -, starting with a letter"
                + " or digit)");
      }
      try {
        out.add(new Attachment(id, InterfaceName.of(ifName)));
      } catch (InvalidValueException e) {
        throw CniException.invalidConfig(item.path() + ".ifname: " + e.getMessage());
      }
    }
    return out;
  }
}
