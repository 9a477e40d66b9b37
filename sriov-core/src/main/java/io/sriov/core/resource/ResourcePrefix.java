package io.sriov.core.resource;

import io.sriov.core.value.Dns1123;
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

  public static final int MAX_LENGTH = Dns1123.MAX_SUBDOMAIN;

  public ResourcePrefix {
    String problem = Dns1123.subdomainProblem(value);
    if (problem != null) {
      throw new InvalidValueException(
          "resource prefix " + InvalidValueException.quote(value) + ": " + problem);
    }
  }

  public static ResourcePrefix of(String s) {
    return new ResourcePrefix(s);
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
