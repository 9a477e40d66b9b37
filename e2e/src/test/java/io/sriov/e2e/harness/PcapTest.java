package io.sriov.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.MacAddress;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapTest {

  private static final MacAddress A = MacAddress.parse("02:56:00:00:00:0a");
  private static final MacAddress B = MacAddress.parse("02:56:00:00:00:0b");

  /** A pcap header as QEMU's filter-dump writes it on x86 (little endian, microseconds). */
  private static byte[] header(ByteOrder order, int magic, int linkType) {
    return ByteBuffer.allocate(24)
        .order(order)
        .putInt(magic)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65536)
        .putInt(linkType)
        .array();
  }

  private static byte[] record(ByteOrder order, byte[] frame, int claimed) {
    return ByteBuffer.allocate(16 + frame.length)
        .order(order)
        .putInt(1_700_000_000)
        .putInt(5)
        .putInt(claimed)
        .putInt(claimed)
        .put(frame)
        .array();
  }

  /** dst, src, EtherType, then an IPv4 header with the given protocol (or no payload). */
  private static byte[] frame(MacAddress dst, MacAddress src, int etherType, int protocol) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(dst.bytes());
    out.writeBytes(src.bytes());
    out.write(etherType >> 8);
    out.write(etherType & 0xff);
    if (protocol >= 0) {
      byte[] ip = HexFormat.of().parseHex("4500002800004000400000000a3800010a380002");
      ip[9] = (byte) protocol;
      out.writeBytes(ip);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void readsFramesInEitherByteOrder() {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      byte[] tcp = frame(B, A, 0x0800, 6);
      byte[] arp = frame(MacAddress.parse("ff:ff:ff:ff:ff:ff"), A, 0x0806, -1);
      List<Pcap.Frame> frames =
          Pcap.parse(
              concat(
                  header(order, 0xa1b2c3d4, 1),
                  record(order, tcp, tcp.length),
                  record(order, arp, arp.length)));
      assertThat(frames)
          .containsExactly(
              new Pcap.Frame(B, A, 0x0800, 6, 34),
              new Pcap.Frame(MacAddress.parse("ff:ff:ff:ff:ff:ff"), A, 0x0806, -1, 14));
      assertThat(frames.get(0).isIpv4()).isTrue();
      assertThat(frames.get(0).between(A, B)).isTrue();
      assertThat(frames.get(0).between(B, A)).isFalse();
      assertThat(frames.get(1).isIpv4()).isFalse();
    }
  }

  @Test
  void nanosecondMagicAndAnEmptyCaptureAreFine() {
    assertThat(Pcap.parse(header(ByteOrder.LITTLE_ENDIAN, 0xa1b23c4d, 1))).isEmpty();
  }

  @Test
  void refusesWhatIsNotACompletePcapOfEthernetFrames() {
    byte[] ok = header(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1);
    byte[] tcp = frame(B, A, 0x0800, 6);
    assertThatThrownBy(() -> Pcap.parse(new byte[10]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pcap file too short: 10 bytes, its header alone is 24");
    assertThatThrownBy(() -> Pcap.parse(header(ByteOrder.LITTLE_ENDIAN, 0x12345678, 1)))
        .hasMessage("not a pcap file: magic bytes 78563412");
    assertThatThrownBy(() -> Pcap.parse(header(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 105)))
        .hasMessage("pcap link type 105, expected 1 (Ethernet)");
    assertThatThrownBy(() -> Pcap.parse(concat(ok, new byte[8])))
        .hasMessage("pcap record 1 at byte 24 has a truncated header");
    assertThatThrownBy(
            () -> Pcap.parse(concat(ok, record(ByteOrder.LITTLE_ENDIAN, tcp, tcp.length + 10))))
        .hasMessage("pcap record 1 at byte 24 is truncated: 44 bytes captured, 34 left");
    byte[] runt = new byte[6];
    assertThatThrownBy(
            () ->
                Pcap.parse(
                    concat(
                        ok,
                        record(ByteOrder.LITTLE_ENDIAN, tcp, tcp.length),
                        record(ByteOrder.LITTLE_ENDIAN, runt, runt.length))))
        .hasMessage("pcap record 2 at byte 74 holds 6 bytes, less than an Ethernet header");
  }
}
