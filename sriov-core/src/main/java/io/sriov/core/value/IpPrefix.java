package io.sriov.core.value;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address with a prefix length ({@code 10.1.2.3/24}, {@code fd00::5/64}), as in a CNI result.
 * The address keeps its host bits (an interface address), use {@link #network()} for the route
 * destination.
 */
public record IpPrefix(InetAddress address, int length) {
  public IpPrefix {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException(
          "prefix length "
              + length
              + " out of range 0-"
              + max
              + " for "
              + address.getHostAddress());
    }
  }

  /**
   * Parses {@code ADDRESS/LENGTH} with a literal IPv4 or IPv6 address (never a host name, so no DNS
   * lookup).
   */
  public static IpPrefix parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("IP prefix null: expected ADDRESS/LENGTH");
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("IP prefix \"" + s + "\": expected ADDRESS/LENGTH");
    }
    InetAddress a = parseAddress(s.substring(0, slash));
    int len;
    try {
      len = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "IP prefix \"" + s + "\": length \"" + s.substring(slash + 1) + "\" is not a number");
    }
    return new IpPrefix(a, len);
  }

  /** Parses a literal IPv4/IPv6 address without name resolution. */
  public static InetAddress parseAddress(String s) {
    if (s == null || s.isEmpty() || !(s.contains(":") || s.matches("[0-9.]+"))) {
      throw new IllegalArgumentException("IP address \"" + s + "\": not an IPv4 or IPv6 literal");
    }
    if (!s.contains(":") && !s.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
      throw new IllegalArgumentException("IP address \"" + s + "\": not an IPv4 or IPv6 literal");
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IP address \"" + s + "\": not an IPv4 or IPv6 literal");
    }
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** The network: the address with the host bits cleared. */
  public IpPrefix network() {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, length - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return new IpPrefix(InetAddress.getByAddress(b), length);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * {@code ADDRESS/LENGTH} with the address as Go and {@code ip} print it (see {@link #format}).
   */
  public String compact() {
    return format(address) + "/" + length;
  }

  /**
   * The address in RFC 5952 text, as Go's {@code net.IP.String} prints it (the CNI result format):
   * IPv4 dotted, IPv6 in lower-case hex without leading zeros and the longest run of two or more
   * zero groups (the first one on a tie) as {@code ::}. An IPv4-mapped IPv6 address is printed as
   * the IPv4 address, as Go does.
   */
  public static String format(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return a.getHostAddress();
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }
}
