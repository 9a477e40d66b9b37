package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bounded cursor over the netlink messages of one received datagram ({@code [position, limit)}).
 * A message whose {@code nlmsg_len} is below 16 or past the datagram's end throws {@link
 * MalformedMessageException}.
 */
public final class MessageReader {
  private final ByteBuffer b;
  private final int end;
  private int next;
  private int offset = -1;
  private int length;
  private int type;
  private int flags;
  private int seq;
  private int pid;

  public MessageReader(ByteBuffer datagram) {
    this.b = datagram.duplicate().order(ByteOrder.nativeOrder());
    this.next = datagram.position();
    this.end = datagram.limit();
  }

  /** Advances to the next message; false when the datagram is exhausted. */
  public boolean next() throws MalformedMessageException {
    if (next >= end) {
      offset = -1;
      return false;
    }
    int at = next;
    if (end - at < NlMsgHdr.SIZE) {
      throw new MalformedMessageException(
          "truncated nlmsghdr at offset " + at + ": " + (end - at) + " of 16 bytes");
    }
    int len = b.getInt(at);
    if (len < NlMsgHdr.SIZE) {
      throw new MalformedMessageException(
          "nlmsghdr at offset " + at + ": nlmsg_len " + Integer.toUnsignedString(len) + " < 16");
    }
    if (len > end - at) {
      throw new MalformedMessageException(
          "nlmsghdr at offset "
              + at
              + ": nlmsg_len "
              + len
              + " exceeds the "
              + (end - at)
              + " bytes left");
    }
    offset = at;
    length = len;
    type = Short.toUnsignedInt(b.getShort(at + 4));
    flags = Short.toUnsignedInt(b.getShort(at + 6));
    seq = b.getInt(at + 8);
    pid = b.getInt(at + 12);
    next = Math.min(end, at + Netlink.align(len));
    return true;
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public int seq() {
    return seq;
  }

  public int pid() {
    return pid;
  }

  /** Offset of the nlmsghdr in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  /** Offset of the payload (family header) in {@link #buffer()}. */
  public int payloadOffset() {
    return offset + NlMsgHdr.SIZE;
  }

  /** One past the last byte of this message. */
  public int end() {
    return offset + length;
  }

  /** The datagram, in host byte order. */
  public ByteBuffer buffer() {
    return b;
  }
}
