package io.sriov.core.value;

/**
 * A PCI function address in the kernel's canonical sysfs form {@code dddd:bb:dd.f}: 4 hex digits of
 * domain, 2 of bus, 2 of device (0-1f), one function digit (0-7), all lower case. Anything else is
 * rejected, so a {@code PciAddress} is always safe to use as a path element under {@code
 * /sys/bus/pci/devices}.
 */
public record PciAddress(int domain, int bus, int device, int function)
    implements Comparable<PciAddress> {

  public PciAddress {
    if (domain < 0 || domain > 0xffff) {
      throw new InvalidValueException("PCI address domain out of range: " + domain);
    }
    if (bus < 0 || bus > 0xff) {
      throw new InvalidValueException("PCI address bus out of range: " + bus);
    }
    if (device < 0 || device > 0x1f) {
      throw new InvalidValueException("PCI address device out of range: " + device);
    }
    if (function < 0 || function > 7) {
      throw new InvalidValueException("PCI address function out of range: " + function);
    }
  }

  /** Parses {@code 0000:af:06.0}; throws {@link InvalidValueException} naming the input. */
  public static PciAddress parse(String s) {
    if (s == null || s.length() != 12) {
      throw InvalidValueException.of(
          "PCI address", s, "expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
    }
    if (s.charAt(4) != ':' || s.charAt(7) != ':' || s.charAt(10) != '.') {
      throw InvalidValueException.of(
          "PCI address", s, "expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
    }
    int domain = hex(s, 0, 4);
    int bus = hex(s, 5, 7);
    int dev = hex(s, 8, 10);
    int fn = hex(s, 11, 12);
    if (dev > 0x1f) {
      throw InvalidValueException.of("PCI address", s, "device number must be 00-1f");
    }
    if (fn > 7) {
      throw InvalidValueException.of("PCI address", s, "function number must be 0-7");
    }
    return new PciAddress(domain, bus, dev, fn);
  }

  /** True when {@code s} parses; never throws. */
  public static boolean isValid(String s) {
    try {
      parse(s);
      return true;
    } catch (InvalidValueException e) {
      return false;
    }
  }

  private static int hex(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        throw InvalidValueException.of(
            "PCI address",
            s,
            "'" + c + "' at position " + (i + 1) + " is not a lower-case hex digit");
      }
      v = v * 16 + d;
    }
    return v;
  }

  @Override
  public int compareTo(PciAddress o) {
    int c = Integer.compare(domain, o.domain);
    if (c == 0) c = Integer.compare(bus, o.bus);
    if (c == 0) c = Integer.compare(device, o.device);
    if (c == 0) c = Integer.compare(function, o.function);
    return c;
  }

  // equals and hashCode written out (the same as the record's): a record's are bound through
  // method handles at first call, which the daemon's C1-only JIT does not inline; addresses are
  // hashed and compared for every device of every discovery walk.

  @Override
  public boolean equals(Object o) {
    return o instanceof PciAddress a
        && domain == a.domain
        && bus == a.bus
        && device == a.device
        && function == a.function;
  }

  @Override
  public int hashCode() {
    return ((domain * 31 + bus) * 31 + device) * 31 + function;
  }

  /** The canonical form {@code dddd:bb:dd.f}; hot (it is every PCI device's ID), so no format(). */
  @Override
  public String toString() {
    char[] c = new char[12];
    hexDigits(c, 0, domain, 4);
    c[4] = ':';
    hexDigits(c, 5, bus, 2);
    c[7] = ':';
    hexDigits(c, 8, device, 2);
    c[10] = '.';
    hexDigits(c, 11, function, 1);
    return new String(c);
  }

  private static void hexDigits(char[] out, int at, int value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = Character.forDigit(value & 0xf, 16);
      value >>>= 4;
    }
  }
}
