package io.sriov.e2e.harness;

import io.sriov.core.value.MacAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The Ethernet frames of a classic pcap file, as QEMU's {@code filter-dump} writes them for each PF
 * port of the test VM ({@code .vm/pf<i>.pcap}).
 *
 * <pre>
 * file header (24 bytes): u32 magic (a1b2c3d4 us / a1b23c4d ns, in the writer's byte order),
 *                         u16 major, u16 minor, s32 thiszone, u32 sigfigs, u32 snaplen, u32 network
 * record header (16):     u32 ts_sec, u32 ts_frac, u32 incl_len, u32 orig_len; then incl_len bytes
 * </pre>
 */
public final class Pcap {

  /** LINKTYPE_ETHERNET. */
  static final int LINKTYPE_ETHERNET = 1;

  private static final int FILE_HEADER = 24;
  private static final int RECORD_HEADER = 16;
  private static final int ETH_HEADER = 14;
  private static final int ETH_P_IP = 0x0800;

  private Pcap() {}

  /**
   * One captured frame.
   *
   * @param destination destination MAC
   * @param source source MAC
   * @param etherType the EtherType after the MAC addresses
   * @param ipProtocol the IPv4 protocol number (6 TCP, 1 ICMP), or -1 for anything else
   * @param length the captured frame's length in bytes
   */
  public record Frame(
      MacAddress destination, MacAddress source, int etherType, int ipProtocol, int length) {

    public boolean isIpv4() {
      return etherType == ETH_P_IP;
    }

    public boolean between(MacAddress from, MacAddress to) {
      return source.equals(from) && destination.equals(to);
    }
  }

  public static List<Frame> read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a complete pcap file of Ethernet frames
   */
  public static List<Frame> parse(byte[] bytes) {
    if (bytes.length < FILE_HEADER) {
      throw new IllegalArgumentException(
          "pcap file too short: " + bytes.length + " bytes, its header alone is " + FILE_HEADER);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int magic = in.getInt(0);
    if (!isMagic(magic)) {
      in.order(ByteOrder.BIG_ENDIAN);
      magic = in.getInt(0);
      if (!isMagic(magic)) {
        throw new IllegalArgumentException(
            "not a pcap file: magic bytes " + HexFormat.of().formatHex(bytes, 0, 4));
      }
    }
    int linkType = in.getInt(20);
    if (linkType != LINKTYPE_ETHERNET) {
      throw new IllegalArgumentException(
          "pcap link type " + linkType + ", expected " + LINKTYPE_ETHERNET + " (Ethernet)");
    }
    List<Frame> frames = new ArrayList<>();
    int at = FILE_HEADER;
    while (at < bytes.length) {
      int record = frames.size() + 1;
      if (bytes.length - at < RECORD_HEADER) {
        throw new IllegalArgumentException(
            "pcap record " + record + " at byte " + at + " has a truncated header");
      }
      long captured = Integer.toUnsignedLong(in.getInt(at + 8));
      int data = at + RECORD_HEADER;
      if (captured > bytes.length - data) {
        throw new IllegalArgumentException(
            "pcap record "
                + record
                + " at byte "
                + at
                + " is truncated: "
                + captured
                + " bytes captured, "
                + (bytes.length - data)
                + " left");
      }
      if (captured < ETH_HEADER) {
        throw new IllegalArgumentException(
            "pcap record "
                + record
                + " at byte "
                + at
                + " holds "
                + captured
                + " bytes, less than an Ethernet header");
      }
      frames.add(frame(bytes, data, (int) captured));
      at = data + (int) captured;
    }
    return frames;
  }

  private static boolean isMagic(int magic) {
    return magic == 0xa1b2c3d4 || magic == 0xa1b23c4d;
  }

  private static Frame frame(byte[] bytes, int at, int length) {
    MacAddress dst = MacAddress.of(Arrays.copyOfRange(bytes, at, at + 6));
    MacAddress src = MacAddress.of(Arrays.copyOfRange(bytes, at + 6, at + 12));
    int etherType = (bytes[at + 12] & 0xff) << 8 | (bytes[at + 13] & 0xff);
    // IPv4: the protocol is byte 9 of the IP header.
    int protocol =
        etherType == ETH_P_IP && length >= ETH_HEADER + 10 ? bytes[at + ETH_HEADER + 9] & 0xff : -1;
    return new Frame(dst, src, etherType, protocol, length);
  }
}
