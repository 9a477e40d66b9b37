package io.sriov.netlink.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEvent.Action;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UeventDecoderTest {

  /**
   * Captured on the build machine (kernel 6.x) after {@code echo change >
   * /sys/bus/pci/devices/0000:00:00.0/uevent}, bytes as received on group 1.
   */
  static final String CAPTURED_CHANGE =
      "change@/devices/pci0000:00/0000:00:00.0\0ACTION=change\0"
          + "DEVPATH=/devices/pci0000:00/0000:00:00.0\0SUBSYSTEM=pci\0SYNTH_UUID=0\0"
          + "PCI_CLASS=60000\0PCI_ID=8086:0D57\0PCI_SUBSYS_ID=0000:0000\0"
          + "PCI_SLOT_NAME=0000:00:00.0\0"
          + "MODALIAS=pci:v00008086d00000D57sv00000000sd00000000bc06sc00i00\0SEQNUM=116963\0";

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<DeviceEvent> decode(String s) throws MalformedMessageException {
    return UeventDecoder.decode(bytes(s));
  }

  private static String malformed(String s) {
    try {
      UeventDecoder.decode(bytes(s));
    } catch (MalformedMessageException e) {
      return e.getMessage();
    }
    throw new AssertionError("decoded without error: " + s.replace('\0', '|'));
  }

  @Test
  void decodesACapturedKernelChangeEvent() throws Exception {
    assertThat(decode(CAPTURED_CHANGE))
        .contains(
            new DeviceEvent(
                Action.CHANGE,
                "pci",
                "/devices/pci0000:00/0000:00:00.0",
                Optional.of(PciAddress.parse("0000:00:00.0")),
                Optional.empty()));
  }

  @Test
  void decodesBindWithTheDriver() throws Exception {
    String bind =
        "bind@/devices/pci0000:00/0000:00:03.0/0000:01:02.0\0ACTION=bind\0"
            + "DEVPATH=/devices/pci0000:00/0000:00:03.0/0000:01:02.0\0SUBSYSTEM=pci\0"
            + "DRIVER=vfio-pci\0PCI_SLOT_NAME=0000:01:02.0\0SEQNUM=7\0";
    DeviceEvent e = decode(bind).orElseThrow();
    assertThat(e.action()).isEqualTo(Action.BIND);
    assertThat(e.driver()).contains(DriverName.VFIO_PCI);
    assertThat(e.pciAddress()).contains(PciAddress.parse("0000:01:02.0"));
    assertThat(e.isPciMembershipChange()).isTrue();
  }

  @Test
  void decodesEveryKernelActionAndOtherSubsystems() throws Exception {
    for (Action a : Action.values()) {
      String n = a.kernelName();
      DeviceEvent e =
          decode(
                  n
                      + "@/devices/virtual/net/lo\0ACTION="
                      + n
                      + "\0DEVPATH=/devices/virtual/net/lo\0SUBSYSTEM=net\0INTERFACE=lo\0")
              .orElseThrow();
      assertThat(e.action()).isEqualTo(a);
      assertThat(e.subsystem()).isEqualTo("net");
      assertThat(e.pciAddress()).isEmpty();
      assertThat(e.isPciMembershipChange()).isFalse();
    }
  }

  @Test
  void onlyPciAddRemoveBindUnbindChangeMembership() throws Exception {
    for (Action a : Action.values()) {
      String n = a.kernelName();
      DeviceEvent e =
          decode(n + "@/devices/p/x\0ACTION=" + n + "\0DEVPATH=/devices/p/x\0SUBSYSTEM=pci\0")
              .orElseThrow();
      boolean expected =
          a == Action.ADD || a == Action.REMOVE || a == Action.BIND || a == Action.UNBIND;
      assertThat(e.isPciMembershipChange()).as(n).isEqualTo(expected);
    }
  }

  @Test
  void toleratesAMissingFinalNulAndEmptyVariables() throws Exception {
    assertThat(decode("remove@/devices/x\0ACTION=remove\0\0DEVPATH=/devices/x\0SUBSYSTEM=pci"))
        .map(DeviceEvent::action)
        .contains(Action.REMOVE);
  }

  @Test
  void decodesOnlyFromPositionToLimit() throws Exception {
    byte[] raw = ("junk" + CAPTURED_CHANGE + "junk").getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.wrap(raw, 4, raw.length - 8);
    assertThat(UeventDecoder.decode(b)).map(DeviceEvent::action).contains(Action.CHANGE);
    assertThat(b.position()).isEqualTo(4);
  }

  @Test
  void skipsUdevRebroadcastsAndUnknownActions() throws Exception {
    byte[] udev = new byte[40];
    System.arraycopy("libudev\0".getBytes(StandardCharsets.US_ASCII), 0, udev, 0, 8);
    udev[8] = (byte) 0xfe;
    udev[9] = (byte) 0xed;
    udev[10] = (byte) 0xca;
    udev[11] = (byte) 0xfe;
    assertThat(UeventDecoder.decode(ByteBuffer.wrap(udev))).isEmpty();
    assertThat(decode("wobble@/devices/x\0ACTION=wobble\0DEVPATH=/devices/x\0SUBSYSTEM=pci\0"))
        .isEmpty();
  }

  @Test
  void malformedInputIsRejectedWithTheReason() {
    assertThat(malformed("")).isEqualTo("malformed netlink message: uevent: empty datagram");
    assertThat(malformed("add@/devices/x"))
        .isEqualTo("malformed netlink message: uevent: no NUL after the action@devpath header");
    assertThat(malformed("add/devices/x\0ACTION=add\0"))
        .isEqualTo(
            "malformed netlink message: uevent: header is not action@devpath: \"add/devices/x\"");
    assertThat(malformed("add@\0ACTION=add\0"))
        .isEqualTo("malformed netlink message: uevent: header is not action@devpath: \"add@\"");
    assertThat(malformed("add@/d\0ACTION=add\0garbage\0"))
        .isEqualTo("malformed netlink message: uevent: variable without KEY=: \"garbage\"");
    assertThat(malformed("add@/d\0DEVPATH=/d\0SUBSYSTEM=pci\0"))
        .isEqualTo("malformed netlink message: uevent: no ACTION= variable");
    assertThat(malformed("add@/d\0ACTION=add\0SUBSYSTEM=pci\0"))
        .isEqualTo("malformed netlink message: uevent: no DEVPATH= variable");
    assertThat(malformed("add@/d\0ACTION=add\0DEVPATH=/d\0"))
        .isEqualTo("malformed netlink message: uevent: no SUBSYSTEM= variable");
    assertThat(malformed("add@/d\0ACTION=remove\0DEVPATH=/d\0SUBSYSTEM=pci\0"))
        .isEqualTo(
            "malformed netlink message: uevent: header \"add@/d\" does not match ACTION=remove"
                + " DEVPATH=/d");
    assertThat(malformed("add@/d\0ACTION=add\0DEVPATH=/d\0SUBSYSTEM=pci\0PCI_SLOT_NAME=../..\0"))
        .isEqualTo(
            "malformed netlink message: uevent: /d: PCI address \"../..\": expected the form"
                + " dddd:bb:dd.f (e.g. 0000:af:06.0)");
    assertThat(malformed("bind@/d\0ACTION=bind\0DEVPATH=/d\0SUBSYSTEM=pci\0DRIVER=a/b\0"))
        .isEqualTo(
            "malformed netlink message: uevent: /d: driver name \"a/b\": '/' is not allowed"
                + " (letters, digits, _ - . only)");
  }

  @Test
  void arbitraryBytesNeverEscapeAsAnythingButMalformed() {
    java.util.Random r = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[r.nextInt(64)];
      r.nextBytes(b);
      if (r.nextBoolean() && b.length > 10) {
        byte[] head = "add@/d\0ACTION=add\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, Math.min(head.length, b.length));
      }
      try {
        UeventDecoder.decode(ByteBuffer.wrap(b));
      } catch (MalformedMessageException expected) {
        // the only failure allowed
      }
    }
  }
}
