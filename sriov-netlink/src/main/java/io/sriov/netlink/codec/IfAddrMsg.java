package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * The RTM_*ADDR family header.
 *
 * <pre>
 * struct ifaddrmsg {         // 8 bytes
 *   __u8  ifa_family;        // 0: AF_INET / AF_INET6
 *   __u8  ifa_prefixlen;     // 1
 *   __u8  ifa_flags;         // 2: IFA_F_* (low 8 bits; IFA_FLAGS has all 32)
 *   __u8  ifa_scope;         // 3: RT_SCOPE_*
 *   __u32 ifa_index;         // 4
 * };
 * </pre>
 */
public record IfAddrMsg(int family, int prefixLen, int flags, int scope, int index) {
  public static final int SIZE = 8;

  public void write(MessageWriter w) {
    w.u8(family).u8(prefixLen).u8(flags).u8(scope).u32(index);
  }

  public static IfAddrMsg read(ByteBuffer b, int offset, int end) throws MalformedMessageException {
    Structs.need("ifaddrmsg", SIZE, offset, end);
    return new IfAddrMsg(
        Byte.toUnsignedInt(b.get(offset)),
        Byte.toUnsignedInt(b.get(offset + 1)),
        Byte.toUnsignedInt(b.get(offset + 2)),
        Byte.toUnsignedInt(b.get(offset + 3)),
        b.getInt(offset + 4));
  }
}
