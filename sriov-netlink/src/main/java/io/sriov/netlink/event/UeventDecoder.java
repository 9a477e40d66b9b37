package io.sriov.netlink.event;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes one kernel uevent datagram (NETLINK_KOBJECT_UEVENT, group 1). Unlike other netlink
 * families there is no nlmsghdr: the payload is text, NUL-separated (lib/kobject_uevent.c):
 *
 * <pre>
 * action@devpath \0 ACTION=action \0 DEVPATH=devpath \0 SUBSYSTEM=pci \0 SEQNUM=n \0
 *   [DRIVER=vfio-pci \0] PCI_SLOT_NAME=0000:00:03.0 \0 ...
 * </pre>
 *
 * Messages that udev re-broadcasts on group 2 start with {@code libudev\0} and a binary header;
 * they are not kernel events and decode to empty, as do actions this code does not know. Anything
 * else that does not fit the format throws, naming what is wrong. All subsystems decode; the
 * monitor filters.
 */
public final class UeventDecoder {
  private static final byte[] LIBUDEV = "libudev\0".getBytes(StandardCharsets.US_ASCII);

  private UeventDecoder() {}

  /**
   * Decodes the bytes from {@code datagram}'s position to its limit (the buffer is not modified).
   *
   * @return empty for a udev (not kernel) message or an action not in {@link DeviceEvent.Action}
   * @throws MalformedMessageException when the text does not have the kernel's format
   */
  public static Optional<DeviceEvent> decode(ByteBuffer datagram) throws MalformedMessageException {
    ByteBuffer b = datagram.duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    if (bytes.length == 0) {
      throw malformed("empty datagram");
    }
    if (startsWith(bytes, LIBUDEV)) {
      return Optional.empty();
    }
    int headerEnd = indexOfNul(bytes, 0);
    if (headerEnd < 0) {
      throw malformed("no NUL after the action@devpath header");
    }
    String header = new String(bytes, 0, headerEnd, StandardCharsets.UTF_8);
    int at = header.indexOf('@');
    if (at <= 0 || at == header.length() - 1) {
      throw malformed("header is not action@devpath: \"" + header + "\"");
    }
    Map<String, String> env = new HashMap<>();
    int start = headerEnd + 1;
    while (start < bytes.length) {
      int end = indexOfNul(bytes, start);
      if (end < 0) {
        end = bytes.length; // the last variable without its NUL: the kernel always ends one
      }
      if (end > start) {
        String entry = new String(bytes, start, end - start, StandardCharsets.UTF_8);
        int eq = entry.indexOf('=');
        if (eq <= 0) {
          throw malformed("variable without KEY=: \"" + entry + "\"");
        }
        env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
      }
      start = end + 1;
    }
    String action = require(env, "ACTION");
    String devpath = require(env, "DEVPATH");
    String subsystem = require(env, "SUBSYSTEM");
    if (!header.equals(action + "@" + devpath)) {
      throw malformed(
          "header \"" + header + "\" does not match ACTION=" + action + " DEVPATH=" + devpath);
    }
    Optional<DeviceEvent.Action> a = DeviceEvent.Action.ofKernelName(action);
    if (a.isEmpty()) {
      return Optional.empty();
    }
    Optional<PciAddress> pci;
    Optional<DriverName> driver;
    try {
      pci = Optional.ofNullable(env.get("PCI_SLOT_NAME")).map(PciAddress::parse);
      driver = Optional.ofNullable(env.get("DRIVER")).map(DriverName::of);
    } catch (InvalidValueException e) {
      throw malformed(devpath + ": " + e.getMessage());
    }
    return Optional.of(new DeviceEvent(a.get(), subsystem, devpath, pci, driver));
  }

  private static String require(Map<String, String> env, String key)
      throws MalformedMessageException {
    String v = env.get(key);
    if (v == null || v.isEmpty()) {
      throw malformed("no " + key + "= variable");
    }
    return v;
  }

  private static MalformedMessageException malformed(String what) {
    return new MalformedMessageException("uevent: " + what);
  }

  private static int indexOfNul(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
