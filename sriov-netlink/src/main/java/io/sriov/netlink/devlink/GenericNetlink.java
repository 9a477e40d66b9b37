package io.sriov.netlink.devlink;

import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.AttributeReader;
import io.sriov.netlink.codec.Genetlink;
import io.sriov.netlink.codec.GenlMsgHdr;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.os.Errno;
import java.util.Optional;

/** The generic netlink controller (nlctrl): resolves a family name to its id. */
public final class GenericNetlink {
  private GenericNetlink() {}

  /** CTRL_CMD_GETFAMILY for {@code name} ({@code genl ctrl get name NAME}). */
  public static void getFamilyRequest(MessageWriter w, String name) {
    w.begin(Genetlink.GENL_ID_CTRL, Netlink.NLM_F_REQUEST);
    new GenlMsgHdr(Genetlink.CTRL_CMD_GETFAMILY, 1).write(w);
    w.attrString(Genetlink.CTRL_ATTR_FAMILY_NAME, name);
  }

  /** Decodes a CTRL_CMD_NEWFAMILY reply. */
  public static GenlFamily decodeFamily(MessageReader m) throws MalformedMessageException {
    if (m.type() != Genetlink.GENL_ID_CTRL) {
      return null;
    }
    GenlMsgHdr.read(m.buffer(), m.payloadOffset(), m.end());
    int id = -1;
    String name = null;
    int version = 0;
    int maxAttr = 0;
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + GenlMsgHdr.SIZE, m.end());
    while (a.next()) {
      switch (a.type()) {
        case Genetlink.CTRL_ATTR_FAMILY_ID -> id = a.u16();
        case Genetlink.CTRL_ATTR_FAMILY_NAME -> name = a.string();
        case Genetlink.CTRL_ATTR_VERSION -> version = a.u32();
        case Genetlink.CTRL_ATTR_MAXATTR -> maxAttr = a.u32();
        default -> {
          // ops, multicast groups, policies: skipped
        }
      }
    }
    if (id < 0 || name == null) {
      throw new MalformedMessageException(
          "CTRL_CMD_NEWFAMILY without CTRL_ATTR_FAMILY_ID or CTRL_ATTR_FAMILY_NAME");
    }
    return new GenlFamily(id, name, version, maxAttr);
  }

  /** Resolves {@code name}; empty when the kernel has no such family (ENOENT). */
  public static Optional<GenlFamily> resolve(NetlinkSocket socket, String name)
      throws NetlinkException {
    MessageWriter w = new MessageWriter(256);
    getFamilyRequest(w, name);
    return socket.get(w, "CTRL_CMD_GETFAMILY " + name, GenericNetlink::decodeFamily, Errno.ENOENT);
  }
}
