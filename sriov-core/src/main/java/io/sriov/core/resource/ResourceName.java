package io.sriov.core.resource;

import io.sriov.core.value.InvalidValueException;

/**
 * The name part of an extended resource ({@code intel_sriov_netdevice} in {@code
 * intel.com/intel_sriov_netdevice}). Accepts what upstream's device plugin accepts: one or more
 * ASCII letters, digits, {@code _} or {@code -} (upstream's README forbids hyphens but its code
 * allows them, and existing configs use them).
 */
public record ResourceName(String value) implements Comparable<ResourceName> {

  public ResourceName {
    if (value == null || value.isEmpty()) {
      throw new InvalidValueException("resource name must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAllowed(c)) {
        throw new InvalidValueException(
            "resource name "
                + InvalidValueException.quote(value)
                + ": "
                + InvalidValueException.quote(String.valueOf(c))
                + " is not allowed (letters, digits, '_' and '-' only)");
      }
    }
  }

  public static ResourceName of(String s) {
    return new ResourceName(s);
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }

  @Override
  public int compareTo(ResourceName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
