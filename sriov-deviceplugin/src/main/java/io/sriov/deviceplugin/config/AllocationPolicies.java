package io.sriov.deviceplugin.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sriov.deviceplugin.pool.AllocationPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads our optional per-pool keys {@code allocationPolicy} ({@code "spread"} or {@code "pack"})
 * and {@code carrierHealth} ({@code true} or {@code false}) from a resource config. Upstream's
 * device plugin ignores unknown keys, so a config using it still works there. Run after the config
 * parser accepted the text, so only this key is checked here.
 */
public final class AllocationPolicies {
  public static final String KEY = "allocationPolicy";
  public static final String CARRIER_HEALTH = "carrierHealth";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();

  private AllocationPolicies() {}

  /**
   * Policies by full resource name ({@code prefix/name}); pools without the key are absent.
   *
   * @throws PlanException naming {@code resourceList[i].allocationPolicy} for a bad value
   */
  public static Map<String, AllocationPolicy> read(String text, String defaultPrefix) {
    Map<String, AllocationPolicy> out = new HashMap<>();
    forEachResource(
        text,
        defaultPrefix,
        KEY,
        (where, fullName, v) -> {
          if (!v.isTextual()) {
            throw new PlanException(where + ": must be \"spread\" or \"pack\", got " + v);
          }
          out.put(
              fullName,
              AllocationPolicy.fromConfigName(v.asText())
                  .orElseThrow(
                      () ->
                          new PlanException(
                              where
                                  + ": must be \"spread\" or \"pack\", got \""
                                  + v.asText()
                                  + "\"")));
        });
    return out;
  }

  /**
   * Our optional per-pool key {@code carrierHealth} (boolean, default true): whether devices turn
   * Unhealthy while the netdev they depend on (a VF's or SF's PF, a PF's own) has no carrier. By
   * full resource name; pools without the key are absent.
   *
   * @throws PlanException naming {@code resourceList[i].carrierHealth} for a value that is not a
   *     boolean
   */
  public static Map<String, Boolean> readCarrierHealth(String text, String defaultPrefix) {
    Map<String, Boolean> out = new HashMap<>();
    forEachResource(
        text,
        defaultPrefix,
        CARRIER_HEALTH,
        (where, fullName, v) -> {
          if (!v.isBoolean()) {
            throw new PlanException(where + ": must be true or false, got " + v);
          }
          out.put(fullName, v.booleanValue());
        });
    return out;
  }

  private interface Entry {
    void accept(String where, String fullName, JsonNode value);
  }

  private static void forEachResource(String text, String defaultPrefix, String key, Entry e) {
    JsonNode root;
    try {
      String t = text.stripLeading();
      root = (t.startsWith("{") || t.startsWith("[") ? JSON : YAML).readTree(text);
    } catch (JsonProcessingException ex) {
      throw new PlanException("cannot read " + key + ": " + ex.getOriginalMessage(), ex);
    }
    JsonNode list = root == null ? null : root.get("resourceList");
    if (list == null || !list.isArray()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode rc = list.get(i);
      JsonNode v = rc.get(key);
      if (v == null || v.isNull()) {
        continue;
      }
      String prefix =
          rc.hasNonNull("resourcePrefix") ? rc.get("resourcePrefix").asText() : defaultPrefix;
      e.accept(
          "resourceList[" + i + "]." + key, prefix + "/" + rc.path("resourceName").asText(), v);
    }
  }
}
