package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * The RTM_*LINK family header.
 *
 * <pre>
 * struct ifinfomsg {         // 16 bytes
 *   unsigned char  ifi_family;   // 0: AF_UNSPEC
 *   unsigned char  __ifi_pad;    // 1
 *   unsigned short ifi_type;     // 2: ARPHRD_*
 *   int            ifi_index;    // 4
 *   unsigned       ifi_flags;    // 8: IFF_*
 *   unsigned       ifi_change;   // 12: mask of ifi_flags to change
 * };
 * </pre>
 */
public record IfInfoMsg(int family, int type, int index, int flags, int change) {
  public static final int SIZE = 16;

  public void write(MessageWriter w) {
    w.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(change);
  }

  public static IfInfoMsg read(ByteBuffer b, int offset, int end) throws MalformedMessageException {
    Structs.need("ifinfomsg", SIZE, offset, end);
    return new IfInfoMsg(
        Byte.toUnsignedInt(b.get(offset)),
        Short.toUnsignedInt(b.getShort(offset + 2)),
        b.getInt(offset + 4),
        b.getInt(offset + 8),
        b.getInt(offset + 12));
  }
}
