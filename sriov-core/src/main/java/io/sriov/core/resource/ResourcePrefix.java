package io.sriov.core.resource;

import io.sriov.core.value.InvalidValueException;

/**
 * The prefix (domain) of an extended resource ({@code intel.com}, {@code nvidia.com}): a DNS-1123
 * subdomain as Kubernetes requires for extended-resource domains. At most 253 characters of lower
 * case letters, digits, {@code -} and {@code .}, made of labels that start and end with a letter or
 * digit.
 */
public record ResourcePrefix(String value) implements Comparable<ResourcePrefix> {

  /** Upstream's {@code -resource-prefix} default. */
  public static final ResourcePrefix INTEL = new ResourcePrefix("intel.com");

  public static final int MAX_LENGTH = 253;

  public ResourcePrefix {
    String problem = problem(value);
    if (problem != null) {
      throw new InvalidValueException(
          "resource prefix " + InvalidValueException.quote(value) + ": " + problem);
    }
  }

  public static ResourcePrefix of(String s) {
    return new ResourcePrefix(s);
  }

  private static String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty";
    }
    if (s.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    int labelStart = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        if (i == labelStart) {
          return "empty label (a DNS-1123 subdomain like example.com is expected)";
        }
        if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return "labels must start and end with a lower-case letter or digit";
        }
        labelStart = i + 1;
        continue;
      }
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return InvalidValueException.quote(String.valueOf(c))
            + " is not allowed (lower-case letters, digits, '-' and '.' only)";
      }
    }
    return null;
  }

  @Override
  public int compareTo(ResourcePrefix o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
