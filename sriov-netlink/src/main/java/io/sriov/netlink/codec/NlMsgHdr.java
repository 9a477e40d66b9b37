package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * The netlink message header.
 *
 * <pre>
 * struct nlmsghdr {          // 16 bytes
 *   __u32 nlmsg_len;         // 0: length including this header
 *   __u16 nlmsg_type;        // 4
 *   __u16 nlmsg_flags;       // 6
 *   __u32 nlmsg_seq;         // 8
 *   __u32 nlmsg_pid;         // 12: sender port id (0 = kernel)
 * };
 * </pre>
 */
public record NlMsgHdr(int length, int type, int flags, int seq, int pid) {
  public static final int SIZE = 16;

  static void write(MessageWriter w, int len, int type, int flags, int seq, int pid) {
    w.u32(len).u16(type).u16(flags).u32(seq).u32(pid);
  }

  /** Reads the header at {@code offset}; bounds are checked by {@link MessageReader}. */
  public static NlMsgHdr read(ByteBuffer b, int offset) throws MalformedMessageException {
    if (offset < 0 || offset + SIZE > b.limit()) {
      throw new MalformedMessageException(
          "nlmsghdr at offset " + offset + " needs 16 bytes, " + (b.limit() - offset) + " left");
    }
    return new NlMsgHdr(
        b.getInt(offset),
        Short.toUnsignedInt(b.getShort(offset + 4)),
        Short.toUnsignedInt(b.getShort(offset + 6)),
        b.getInt(offset + 8),
        b.getInt(offset + 12));
  }
}
