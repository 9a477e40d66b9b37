package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bounded cursor over the attributes in {@code [start, end)} of a buffer.
 *
 * <pre>
 * struct nlattr {            // 4 bytes, then the payload, padded to 4
 *   __u16 nla_len;           // header + payload, without the padding
 *   __u16 nla_type;          // type | NLA_F_NESTED | NLA_F_NET_BYTEORDER
 * };
 * </pre>
 *
 * <p>Strict: an attribute shorter than its header or running past the end, or a typed getter on a
 * payload of the wrong size, throws {@link MalformedMessageException} naming the offset. Callers
 * skip types they do not know simply by not reading them. Trailing bytes shorter than a header
 * (kernel padding) are ignored.
 */
public final class AttributeReader {
  private final ByteBuffer b;
  private final int end;
  private int next;
  private int offset = -1;
  private int len;
  private int rawType;

  public AttributeReader(ByteBuffer b, int start, int end) throws MalformedMessageException {
    if (start < 0 || end > b.limit() || start > end) {
      throw new MalformedMessageException(
          "attribute range [" + start + ", " + end + ") outside buffer of " + b.limit());
    }
    this.b =
        b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
    this.end = end;
    this.next = start;
  }

  /** Advances to the next attribute; false at the end. */
  public boolean next() throws MalformedMessageException {
    if (end - next < Netlink.NLA_HDRLEN) {
      offset = -1;
      return false;
    }
    int at = next;
    int nlaLen = Short.toUnsignedInt(b.getShort(at));
    if (nlaLen < Netlink.NLA_HDRLEN) {
      throw new MalformedMessageException(
          "attribute at offset " + at + ": nla_len " + nlaLen + " < 4");
    }
    if (nlaLen > end - at) {
      throw new MalformedMessageException(
          "attribute type "
              + (Short.toUnsignedInt(b.getShort(at + 2)) & Netlink.NLA_TYPE_MASK)
              + " at offset "
              + at
              + ": nla_len "
              + nlaLen
              + " exceeds the "
              + (end - at)
              + " bytes left");
    }
    rawType = Short.toUnsignedInt(b.getShort(at + 2));
    offset = at + Netlink.NLA_HDRLEN;
    len = nlaLen - Netlink.NLA_HDRLEN;
    next = Math.min(end, at + Netlink.align(nlaLen));
    return true;
  }

  /** The attribute type without NLA_F_NESTED / NLA_F_NET_BYTEORDER. */
  public int type() {
    return rawType & Netlink.NLA_TYPE_MASK;
  }

  public boolean isNested() {
    return (rawType & Netlink.NLA_F_NESTED) != 0;
  }

  /** Offset of the payload in the buffer. */
  public int offset() {
    return offset;
  }

  /** Payload length in bytes, without padding. */
  public int length() {
    return len;
  }

  public ByteBuffer buffer() {
    return b;
  }

  private void expect(int size) throws MalformedMessageException {
    if (len != size) {
      throw wrongSize(size + "-byte");
    }
  }

  private MalformedMessageException wrongSize(String expected) {
    return new MalformedMessageException(
        "attribute type "
            + type()
            + " at offset "
            + (offset - Netlink.NLA_HDRLEN)
            + ": expected a "
            + expected
            + " payload, got "
            + len
            + " bytes");
  }

  public int u8() throws MalformedMessageException {
    expect(1);
    return Byte.toUnsignedInt(b.get(offset));
  }

  public int u16() throws MalformedMessageException {
    expect(2);
    return Short.toUnsignedInt(b.getShort(offset));
  }

  public int u32() throws MalformedMessageException {
    expect(4);
    return b.getInt(offset);
  }

  public long u64() throws MalformedMessageException {
    expect(8);
    return b.getLong(offset);
  }

  /** Reads a u32 at {@code pos} bytes into a struct payload of at least {@code minSize}. */
  public int structU32(int pos, int minSize) throws MalformedMessageException {
    atLeast(minSize);
    return b.getInt(offset + pos);
  }

  public long structU64(int pos, int minSize) throws MalformedMessageException {
    atLeast(minSize);
    return b.getLong(offset + pos);
  }

  /** Big-endian u16 at {@code pos} in a struct payload (e.g. {@code __be16 vlan_proto}). */
  public int structBe16(int pos, int minSize) throws MalformedMessageException {
    atLeast(minSize);
    return (Byte.toUnsignedInt(b.get(offset + pos)) << 8)
        | Byte.toUnsignedInt(b.get(offset + pos + 1));
  }

  public byte[] structBytes(int pos, int count, int minSize) throws MalformedMessageException {
    atLeast(minSize);
    byte[] out = new byte[count];
    b.get(offset + pos, out);
    return out;
  }

  public void atLeast(int size) throws MalformedMessageException {
    if (len < size) {
      throw wrongSize("at least " + size + "-byte");
    }
  }

  /** A NUL-terminated (or unterminated) string. */
  public String string() {
    return NlMsgErr.cString(b, offset, len);
  }

  public byte[] bytes() {
    byte[] out = new byte[len];
    b.get(offset, out);
    return out;
  }

  /** An IPv4 or IPv6 address (4 or 16 bytes). */
  public InetAddress address() throws MalformedMessageException {
    if (len != 4 && len != 16) {
      throw wrongSize("4- or 16-byte address");
    }
    try {
      return InetAddress.getByAddress(bytes());
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for other lengths
    }
  }

  /** A cursor over this attribute's payload as nested attributes. */
  public AttributeReader nested() throws MalformedMessageException {
    return new AttributeReader(b, offset, offset + len);
  }
}
