package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The payload of an NLMSG_ERROR message (an error, or an ack when {@code error == 0}).
 *
 * <pre>
 * struct nlmsgerr {          // 20 bytes + echoed request + TLVs
 *   int              error;  // 0: negative errno, 0 = ack
 *   struct nlmsghdr  msg;    // 4: header of the request; its payload follows unless NLM_F_CAPPED
 * };
 * // with NLM_F_ACK_TLVS: struct nlattr TLVs (NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, ...)
 * </pre>
 *
 * @param error the positive errno, 0 for an ack
 * @param request the header of the request this answers
 * @param extAck NLMSGERR_ATTR_MSG, the kernel's extended-ack text
 */
public record NlMsgErr(int error, NlMsgHdr request, Optional<String> extAck) {
  public static final int SIZE = 20;

  /**
   * Decodes the NLMSG_ERROR payload spanning {@code [offset, end)}; {@code flags} are the outer
   * nlmsg_flags (NLM_F_CAPPED, NLM_F_ACK_TLVS).
   */
  public static NlMsgErr read(ByteBuffer b, int offset, int end, int flags)
      throws MalformedMessageException {
    Structs.need("nlmsgerr", SIZE, offset, end);
    int error = b.getInt(offset);
    if (error > 0) {
      throw new MalformedMessageException(
          "nlmsgerr error " + error + " is positive (a negative errno or 0 was expected)");
    }
    NlMsgHdr req = NlMsgHdr.read(b, offset + 4);
    String msg = null;
    if ((flags & Netlink.NLM_F_ACK_TLVS) != 0) {
      int tlvStart = offset + 4;
      if ((flags & Netlink.NLM_F_CAPPED) != 0) {
        tlvStart += NlMsgHdr.SIZE;
      } else {
        if (req.length() < NlMsgHdr.SIZE) {
          throw new MalformedMessageException(
              "nlmsgerr echoes a request of length " + req.length() + " < 16");
        }
        tlvStart += Netlink.align(req.length());
      }
      if (tlvStart > end) {
        throw new MalformedMessageException(
            "nlmsgerr TLVs start at offset " + tlvStart + " beyond the message end " + end);
      }
      AttributeReader tlv = new AttributeReader(b, tlvStart, end);
      while (tlv.next()) {
        if (tlv.type() == Netlink.NLMSGERR_ATTR_MSG) {
          msg = tlv.string();
        }
      }
    }
    return new NlMsgErr(-error, req, Optional.ofNullable(msg).filter(s -> !s.isEmpty()));
  }

  static String cString(ByteBuffer b, int offset, int len) {
    int n = 0;
    while (n < len && b.get(offset + n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    b.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
