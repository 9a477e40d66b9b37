package io.sriov.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.AuxNetDeviceSelector;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.core.selector.NetDeviceSelector;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes resource pools as the device plugin's {@code config.json} ({@code {"resourceList":
 * [...]}}), for the config daemon to render a node's device-plugin config from its policies. What
 * it writes, {@link ResourceConfigParser} reads back to equal pools, whatever default prefix the
 * reader uses.
 *
 * <p>The shape is upstream's: its field names, selectors always as an array of objects, and, as its
 * Go struct tags' {@code omitempty} would, nothing for an empty list, a {@code false} flag, an
 * absent {@code vdpaType} or an absent {@code additionalInfo} (one given empty is written {@code
 * {}}: upstream then adds {@code "extra"} to every device). Defaults are left out too: {@code
 * deviceType} {@code netDevice}, our {@code allocationPolicy} {@code spread} and our {@code
 * carrierHealth} {@code true} (so a config without our keys stays exactly upstream's). {@code
 * resourcePrefix} is always written, so the file does not depend on the plugin's {@code
 * --resource-prefix}. Upstream's Go struct has no JSON tag on {@code IsRdma} and {@code
 * NeedVhostNet}; they are written {@code isRdma} and {@code needVhostNet} as its README documents
 * them, which Go matches case-insensitively. Values are written in their canonical form ({@code
 * 8086}, {@code 0000:3b:02.0}, {@code ens1f0#0,2-7}, {@code 0x7fff}).
 *
 * <p>Output is compact JSON, fields in the order above. Thread-safe.
 */
public final class ResourceConfigWriter {
  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * @throws IllegalArgumentException when two pools have the same full name (the parser would
   *     refuse the result)
   */
  public String write(List<ResourceConfig> pools) {
    Map<String, Integer> seen = new HashMap<>();
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("resourceList");
    for (int i = 0; i < pools.size(); i++) {
      ResourceConfig rc = pools.get(i);
      Integer earlier = seen.putIfAbsent(rc.fullName(), i);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "pools " + earlier + " and " + i + " are both " + rc.fullName());
      }
      resource(list.addObject(), rc);
    }
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void resource(ObjectNode o, ResourceConfig rc) {
    o.put("resourceName", rc.name().value());
    o.put("resourcePrefix", rc.prefix().value());
    if (rc.deviceType() != DeviceType.NET_DEVICE) {
      o.put("deviceType", rc.deviceType().configName());
    }
    if (rc.excludeTopology()) {
      o.put("excludeTopology", true);
    }
    if (rc.allocationPolicy() != AllocationPolicy.DEFAULT) {
      o.put("allocationPolicy", rc.allocationPolicy().configName());
    }
    if (!rc.carrierHealth()) {
      o.put("carrierHealth", false);
    }
    ArrayNode selectors = o.putArray("selectors");
    for (DeviceSelector s : rc.selectors()) {
      selector(selectors.addObject(), s);
    }
    if (rc.additionalInfo().given()) {
      ObjectNode info = o.putObject("additionalInfo");
      rc.additionalInfo()
          .entries()
          .forEach(
              (device, pairs) -> {
                ObjectNode p = info.putObject(device);
                pairs.forEach(p::put);
              });
    }
  }

  private static void selector(ObjectNode o, DeviceSelector selector) {
    switch (selector) {
      case NetDeviceSelector s -> {
        strings(o, "vendors", s.vendors());
        strings(o, "devices", s.devices());
        strings(o, "drivers", s.drivers());
        strings(o, "pciAddresses", s.pciAddresses());
        strings(o, "acpiIndexes", s.acpiIndexes());
        strings(o, "pfNames", s.pfNames());
        strings(o, "rootDevices", s.rootDevices());
        strings(o, "linkTypes", s.linkTypes());
        strings(o, "ddpProfiles", s.ddpProfiles());
        strings(o, "pKeys", s.pKeys());
        flags(o, s);
      }
      case AcceleratorSelector s -> {
        strings(o, "vendors", s.vendors());
        strings(o, "devices", s.devices());
        strings(o, "drivers", s.drivers());
        strings(o, "pciAddresses", s.pciAddresses());
        strings(o, "acpiIndexes", s.acpiIndexes());
      }
      case AuxNetDeviceSelector s -> {
        strings(o, "vendors", s.vendors());
        strings(o, "devices", s.devices());
        strings(o, "drivers", s.drivers());
        strings(o, "pfNames", s.pfNames());
        strings(o, "rootDevices", s.rootDevices());
        strings(o, "linkTypes", s.linkTypes());
        strings(o, "auxTypes", s.auxTypes());
        flags(o, s);
      }
    }
  }

  private static void flags(ObjectNode o, DeviceSelector s) {
    if (s.isRdma()) {
      o.put("isRdma", true);
    }
    if (s.needVhostNet()) {
      o.put("needVhostNet", true);
    }
    s.vdpaType().ifPresent(t -> o.put("vdpaType", t.configName()));
  }

  /** Each value's {@code toString()} is its config spelling. */
  private static void strings(ObjectNode o, String key, List<?> values) {
    if (!values.isEmpty()) {
      ArrayNode a = o.putArray(key);
      values.forEach(v -> a.add(v.toString()));
    }
  }
}
