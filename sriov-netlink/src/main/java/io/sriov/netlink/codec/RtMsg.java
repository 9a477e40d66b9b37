package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * The RTM_*ROUTE family header.
 *
 * <pre>
 * struct rtmsg {             // 12 bytes
 *   unsigned char rtm_family;    // 0
 *   unsigned char rtm_dst_len;   // 1
 *   unsigned char rtm_src_len;   // 2
 *   unsigned char rtm_tos;       // 3
 *   unsigned char rtm_table;     // 4: RT_TABLE_* (RTA_TABLE for ids above 255)
 *   unsigned char rtm_protocol;  // 5: RTPROT_*
 *   unsigned char rtm_scope;     // 6: RT_SCOPE_*
 *   unsigned char rtm_type;      // 7: RTN_*
 *   unsigned      rtm_flags;     // 8: RTM_F_*
 * };
 * </pre>
 */
public record RtMsg(
    int family,
    int dstLen,
    int srcLen,
    int tos,
    int table,
    int protocol,
    int scope,
    int type,
    int flags) {
  public static final int SIZE = 12;

  public void write(MessageWriter w) {
    w.u8(family).u8(dstLen).u8(srcLen).u8(tos).u8(table).u8(protocol).u8(scope).u8(type);
    w.u32(flags);
  }

  public static RtMsg read(ByteBuffer b, int offset, int end) throws MalformedMessageException {
    Structs.need("rtmsg", SIZE, offset, end);
    return new RtMsg(
        Byte.toUnsignedInt(b.get(offset)),
        Byte.toUnsignedInt(b.get(offset + 1)),
        Byte.toUnsignedInt(b.get(offset + 2)),
        Byte.toUnsignedInt(b.get(offset + 3)),
        Byte.toUnsignedInt(b.get(offset + 4)),
        Byte.toUnsignedInt(b.get(offset + 5)),
        Byte.toUnsignedInt(b.get(offset + 6)),
        Byte.toUnsignedInt(b.get(offset + 7)),
        b.getInt(offset + 8));
  }
}
