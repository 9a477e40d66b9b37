package io.sriov.netlink.codec;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink request in a reusable direct buffer (host byte order): the {@code nlmsghdr},
 * the family header written by the struct classes ({@link IfInfoMsg#write}), then typed attributes.
 * Each attribute is padded to 4 bytes; nests and the message length are back-patched when closed.
 * Not thread-safe: one writer per socket or per caller.
 */
public final class MessageWriter {
  private ByteBuffer buf;
  private int depth;

  public MessageWriter() {
    this(4096);
  }

  public MessageWriter(int initialCapacity) {
    buf = ByteBuffer.allocateDirect(initialCapacity).order(ByteOrder.nativeOrder());
  }

  /**
   * Starts a new message, discarding the previous one: writes an nlmsghdr with length, sequence and
   * port id 0 ({@link #finish} fills them).
   */
  public MessageWriter begin(int type, int flags) {
    buf.clear();
    depth = 0;
    NlMsgHdr.write(this, 0, type, flags, 0, 0);
    return this;
  }

  /** Writes the message length and sequence number; returns the bytes to send (position 0). */
  public ByteBuffer finish(int seq) {
    if (depth != 0) {
      throw new IllegalStateException(depth + " nested attribute(s) not closed");
    }
    buf.putInt(0, buf.position());
    buf.putInt(8, seq);
    ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
    out.flip();
    return out;
  }

  /** Rewrites the sequence number of the finished message (a retried dump). */
  public void setSeq(int seq) {
    buf.putInt(8, seq);
  }

  /** The nlmsg_flags of the message being built. */
  public int flags() {
    return Short.toUnsignedInt(buf.getShort(6));
  }

  public void setFlags(int flags) {
    buf.putShort(6, (short) flags);
  }

  /** The current length in bytes. */
  public int length() {
    return buf.position();
  }

  // ---- raw fields, for the fixed family headers ------------------------------------------

  public MessageWriter u8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  public MessageWriter u16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  public MessageWriter u32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  public MessageWriter bytes(byte[] b) {
    ensure(b.length);
    buf.put(b);
    return this;
  }

  public MessageWriter zeros(int n) {
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf.put((byte) 0);
    }
    return this;
  }

  // ---- attributes ------------------------------------------------------------------------

  private void header(int type, int payloadLen) {
    int len = Netlink.NLA_HDRLEN + payloadLen;
    if (len > 0xffff) {
      throw new IllegalArgumentException("attribute " + type + " too long: " + len + " bytes");
    }
    ensure(Netlink.align(len));
    buf.putShort((short) len);
    buf.putShort((short) type);
  }

  private void pad() {
    while ((buf.position() & 3) != 0) {
      buf.put((byte) 0);
    }
  }

  public MessageWriter attrU8(int type, int v) {
    header(type, 1);
    buf.put((byte) v);
    pad();
    return this;
  }

  public MessageWriter attrU16(int type, int v) {
    header(type, 2);
    buf.putShort((short) v);
    pad();
    return this;
  }

  public MessageWriter attrU32(int type, int v) {
    header(type, 4);
    buf.putInt(v);
    return this;
  }

  public MessageWriter attrU64(int type, long v) {
    header(type, 8);
    buf.putLong(v);
    return this;
  }

  /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING as iproute2 sends them). */
  public MessageWriter attrString(int type, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    header(type, b.length + 1);
    buf.put(b);
    buf.put((byte) 0);
    pad();
    return this;
  }

  /**
   * A string without the terminating NUL (NLA_STRING as iproute2 sends IFLA_INFO_KIND); the kernel
   * accepts both forms for NLA_STRING.
   */
  public MessageWriter attrStringNoNul(int type, String s) {
    return attrBytes(type, s.getBytes(StandardCharsets.UTF_8));
  }

  public MessageWriter attrBytes(int type, byte[] b) {
    header(type, b.length);
    buf.put(b);
    pad();
    return this;
  }

  /** An IPv4 (4 bytes) or IPv6 (16 bytes) address, network byte order. */
  public MessageWriter attrAddress(int type, InetAddress a) {
    return attrBytes(type, a.getAddress());
  }

  public MessageWriter attrFlag(int type) {
    header(type, 0);
    return this;
  }

  /**
   * Opens a nested attribute; returns the token to pass to {@link #endNested}. Pass {@code type |
   * Netlink.NLA_F_NESTED} where the kernel expects the flag.
   */
  public int beginNested(int type) {
    ensure(Netlink.NLA_HDRLEN);
    int start = buf.position();
    buf.putShort((short) 0);
    buf.putShort((short) type);
    depth++;
    return start;
  }

  /** Closes the nest opened at {@code token}, back-patching its length. */
  public MessageWriter endNested(int token) {
    int len = buf.position() - token;
    if (len > 0xffff) {
      throw new IllegalArgumentException("nested attribute too long: " + len + " bytes");
    }
    buf.putShort(token, (short) len);
    depth--;
    return this;
  }

  /**
   * Writes a struct-valued attribute: the header, then {@code payloadLen} bytes written by the
   * caller through the raw methods; call {@link #endStruct} after.
   */
  public int beginStruct(int type) {
    return beginNested(type);
  }

  public MessageWriter endStruct(int token) {
    int len = buf.position() - token; // nla_len: header + struct, without trailing padding
    buf.putShort(token, (short) len);
    pad();
    depth--;
    return this;
  }

  private void ensure(int n) {
    if (buf.remaining() >= n) {
      return;
    }
    int cap = Math.max(buf.capacity() * 2, buf.position() + n);
    ByteBuffer bigger = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
    buf.flip();
    bigger.put(buf);
    buf = bigger;
  }
}
