package io.sriov.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool's {@code additionalInfo}: extra key/value pairs the device plugin adds under {@code
 * "extra"} to a device's entry in the {@code PCIDEVICE_..._INFO} variable. The key {@code *}
 * applies to every device of the pool; a PCI address key to the device with that address, or (as
 * upstream) to the sub-functions of the PF with that address, and wins over {@code *} for the same
 * key.
 *
 * @param given whether the config has the key at all: upstream then adds {@code "extra"} to every
 *     device's entry, {@code {}} for a device no key applies to
 */
public record AdditionalInfo(Map<String, Map<String, String>> entries, boolean given) {

  public static final String ALL_DEVICES = "*";

  /** The config has no {@code additionalInfo}. */
  public static final AdditionalInfo NONE = new AdditionalInfo(Map.of(), false);

  /** {@code additionalInfo} as the config gives it (possibly {@code {}}). */
  public AdditionalInfo(Map<String, Map<String, String>> entries) {
    this(entries, true);
  }

  public AdditionalInfo {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    entries = Collections.unmodifiableMap(copy);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The pairs for one device: {@code *} merged with the device's own entry, the device's winning.
   */
  public Map<String, String> forDevice(String deviceId) {
    Map<String, String> all = entries.get(ALL_DEVICES);
    Map<String, String> own = entries.get(deviceId);
    if (own == null && all == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (all != null) {
      out.putAll(all);
    }
    if (own != null) {
      out.putAll(own);
    }
    return Collections.unmodifiableMap(out);
  }
}
