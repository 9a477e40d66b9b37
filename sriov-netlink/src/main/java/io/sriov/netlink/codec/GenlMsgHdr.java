package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * The generic netlink header, after the nlmsghdr.
 *
 * <pre>
 * struct genlmsghdr {        // 4 bytes
 *   __u8  cmd;               // 0
 *   __u8  version;           // 1
 *   __u16 reserved;          // 2
 * };
 * </pre>
 */
public record GenlMsgHdr(int cmd, int version) {
  public static final int SIZE = 4;

  public void write(MessageWriter w) {
    w.u8(cmd).u8(version).u16(0);
  }

  public static GenlMsgHdr read(ByteBuffer b, int offset, int end)
      throws MalformedMessageException {
    Structs.need("genlmsghdr", SIZE, offset, end);
    return new GenlMsgHdr(Byte.toUnsignedInt(b.get(offset)), Byte.toUnsignedInt(b.get(offset + 1)));
  }
}
