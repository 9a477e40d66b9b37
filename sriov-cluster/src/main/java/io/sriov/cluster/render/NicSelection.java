package io.sriov.cluster.render;

import io.sriov.cluster.api.SriovNetworkNicSelector;
import io.sriov.daemon.state.InterfaceStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's {@code nicSelector} match of a discovered PF ({@code status.interfaces[]} entry):
 * every non-empty criterion must hold; {@code pfNames} match the PF's name or any of its altnames,
 * ignoring {@code #ranges}; an empty selector selects nothing.
 */
final class NicSelection {
  private static final Pattern NET_FILTER = Pattern.compile("(?m)^\\s*([^\\s]+)\\s*:\\s*([^\\s]+)");

  private NicSelection() {}

  static boolean isEmpty(SriovNetworkNicSelector s) {
    return s.vendor().isEmpty()
        && s.deviceID().isEmpty()
        && s.rootDevices().isEmpty()
        && s.pfNames().isEmpty()
        && s.netFilter().isEmpty();
  }

  static boolean selects(SriovNetworkNicSelector s, InterfaceStatus pf) {
    if (!s.vendor().isEmpty() && !s.vendor().equals(pf.vendor())) {
      return false;
    }
    if (!s.deviceID().isEmpty() && !s.deviceID().equals(pf.deviceID())) {
      return false;
    }
    if (!s.rootDevices().isEmpty() && !s.rootDevices().contains(pf.pciAddress())) {
      return false;
    }
    if (!s.pfNames().isEmpty()
        && s.pfNames().stream().map(PfNameSelector::nameOf).noneMatch(n -> isNameOf(n, pf))) {
      return false;
    }
    return s.netFilter().isEmpty() || netFilterMatches(s.netFilter(), pf.netFilter());
  }

  /** Whether {@code name} is the PF's name or one of its altnames. */
  static boolean isNameOf(String name, InterfaceStatus pf) {
    return name.equals(pf.name()) || pf.altNames().contains(name);
  }

  /** Upstream's {@code NetFilterMatch}: the first {@code key:value} of both must be equal. */
  static boolean netFilterMatches(String filter, String value) {
    Matcher f = NET_FILTER.matcher(filter);
    Matcher v = NET_FILTER.matcher(value);
    if (!f.find() || !v.find()) {
      return false;
    }
    return f.group(1).equals(v.group(1)) && f.group(2).equals(v.group(2));
  }
}
