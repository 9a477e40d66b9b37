package io.sriov.core.selector;

import io.sriov.core.device.Device;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The filters the selector kinds share. An empty list always passes. */
final class Filters {
  private Filters() {}

  static <T> boolean anyOf(List<T> wanted, T actual) {
    return wanted.isEmpty() || wanted.contains(actual);
  }

  static <T> boolean anyOf(List<T> wanted, Optional<T> actual) {
    return wanted.isEmpty() || (actual.isPresent() && wanted.contains(actual.get()));
  }

  static boolean anyOf(List<Integer> wanted, OptionalInt actual) {
    return wanted.isEmpty() || (actual.isPresent() && wanted.contains(actual.getAsInt()));
  }

  /**
   * {@code pfNames}: PF netdev name compared case-insensitively; devices without one never pass.
   */
  static boolean pfNames(List<NameWithRanges<InterfaceName>> wanted, Device d) {
    if (wanted.isEmpty()) {
      return true;
    }
    Optional<InterfaceName> pf = d.pfName();
    if (pf.isEmpty()) {
      return false;
    }
    String name = pf.get().value();
    for (NameWithRanges<InterfaceName> w : wanted) {
      if (w.name().value().equalsIgnoreCase(name) && w.includes(d.functionIndex())) {
        return true;
      }
    }
    return false;
  }

  /** {@code rootDevices}: the PF's PCI address; devices without a PF never pass. */
  static boolean rootDevices(List<NameWithRanges<PciAddress>> wanted, Device d) {
    if (wanted.isEmpty()) {
      return true;
    }
    Optional<PciAddress> pf = d.pfAddress();
    if (pf.isEmpty()) {
      return false;
    }
    for (NameWithRanges<PciAddress> w : wanted) {
      if (w.name().equals(pf.get()) && w.includes(d.functionIndex())) {
        return true;
      }
    }
    return false;
  }
}
