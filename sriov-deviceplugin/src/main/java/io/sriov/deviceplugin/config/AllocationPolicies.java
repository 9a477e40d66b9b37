package io.sriov.deviceplugin.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sriov.deviceplugin.pool.AllocationPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads our optional per-pool key {@code allocationPolicy} ({@code "spread"} or {@code "pack"})
 * from a resource config. Upstream's device plugin ignores unknown keys, so a config using it still
 * works there. Run after the config parser accepted the text, so only this key is checked here.
 */
public final class AllocationPolicies {
  public static final String KEY = "allocationPolicy";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();

  private AllocationPolicies() {}

  /**
   * Policies by full resource name ({@code prefix/name}); pools without the key are absent.
   *
   * @throws PlanException naming {@code resourceList[i].allocationPolicy} for a bad value
   */
  public static Map<String, AllocationPolicy> read(String text, String defaultPrefix) {
    JsonNode root;
    try {
      String t = text.stripLeading();
      root = (t.startsWith("{") || t.startsWith("[") ? JSON : YAML).readTree(text);
    } catch (JsonProcessingException e) {
      throw new PlanException("cannot read " + KEY + ": " + e.getOriginalMessage(), e);
    }
    Map<String, AllocationPolicy> out = new HashMap<>();
    JsonNode list = root == null ? null : root.get("resourceList");
    if (list == null || !list.isArray()) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode rc = list.get(i);
      JsonNode v = rc.get(KEY);
      if (v == null || v.isNull()) {
        continue;
      }
      String where = "resourceList[" + i + "]." + KEY;
      if (!v.isTextual()) {
        throw new PlanException(where + ": must be \"spread\" or \"pack\", got " + v);
      }
      AllocationPolicy p =
          AllocationPolicy.fromConfigName(v.asText())
              .orElseThrow(
                  () ->
                      new PlanException(
                          where + ": must be \"spread\" or \"pack\", got \"" + v.asText() + "\""));
      String prefix =
          rc.hasNonNull("resourcePrefix") ? rc.get("resourcePrefix").asText() : defaultPrefix;
      String name = rc.path("resourceName").asText();
      out.put(prefix + "/" + name, p);
    }
    return out;
  }
}
