package io.sriov.netlink.devlink;

import static io.sriov.netlink.codec.Devlink.*;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.AttributeReader;
import io.sriov.netlink.codec.GenlMsgHdr;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.os.Errno;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * devlink over a NETLINK_GENERIC socket; the family id is resolved once with CTRL_CMD_GETFAMILY.
 * Requests are serialised; safe to share.
 */
public final class DevlinkClient implements DevlinkOperations, AutoCloseable {
  private final NetlinkSocket socket;
  private final GenlFamily family;
  private final MessageWriter writer = new MessageWriter(512);
  private final ReentrantLock lock = new ReentrantLock();

  public DevlinkClient(NetlinkSocket socket, GenlFamily family) {
    this.socket = socket;
    this.family = family;
  }

  /**
   * Opens a client in the calling thread's namespace; empty (socket closed) when the kernel has no
   * devlink family (CONFIG_NET_DEVLINK off).
   */
  public static Optional<DevlinkClient> open() throws NetlinkException {
    NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC);
    try {
      Optional<GenlFamily> f = GenericNetlink.resolve(s, DEVLINK_GENL_NAME);
      if (f.isEmpty()) {
        s.close();
        return Optional.empty();
      }
      return Optional.of(new DevlinkClient(s, f.get()));
    } catch (NetlinkException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  public GenlFamily family() {
    return family;
  }

  // ---- requests (pure, pinned by tests) ------------------------------------------------------

  /** DEVLINK_CMD_{cmd} for one device: genlmsghdr + BUS_NAME + DEV_NAME. */
  public static void request(MessageWriter w, int familyId, int cmd, DevlinkHandle h) {
    w.begin(familyId, Netlink.NLM_F_REQUEST);
    new GenlMsgHdr(cmd, DEVLINK_GENL_VERSION).write(w);
    if (h != null) {
      w.attrString(DEVLINK_ATTR_BUS_NAME, h.bus());
      w.attrString(DEVLINK_ATTR_DEV_NAME, h.device());
    }
  }

  /** {@code devlink dev eswitch set HANDLE mode MODE}: DEVLINK_CMD_ESWITCH_SET. */
  public static void setEswitchRequest(
      MessageWriter w, int familyId, DevlinkHandle h, EswitchMode mode) {
    request(w, familyId, DEVLINK_CMD_ESWITCH_SET, h);
    w.attrU16(DEVLINK_ATTR_ESWITCH_MODE, mode.kernelValue());
  }

  /** {@code devlink dev param show HANDLE name NAME}: DEVLINK_CMD_PARAM_GET + PARAM_NAME. */
  public static void paramRequest(MessageWriter w, int familyId, DevlinkHandle h, String name) {
    request(w, familyId, DEVLINK_CMD_PARAM_GET, h);
    w.attrString(DEVLINK_ATTR_PARAM_NAME, name);
  }

  // ---- decoders ----------------------------------------------------------------------------

  /**
   * Decodes a DEVLINK_CMD_PARAM_GET reply of a bool param: PARAM { PARAM_NAME, [PARAM_GENERIC],
   * PARAM_TYPE (u8, NLA_FLAG), PARAM_VALUES_LIST { PARAM_VALUE { PARAM_VALUE_CMODE (u8),
   * [PARAM_VALUE_DATA (flag, present when true)] }... } }; the first value's.
   */
  public static Boolean decodeBoolParam(MessageReader m) throws MalformedMessageException {
    GenlMsgHdr.read(m.buffer(), m.payloadOffset(), m.end());
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + GenlMsgHdr.SIZE, m.end());
    while (a.next()) {
      if (a.type() != DEVLINK_ATTR_PARAM) {
        continue;
      }
      String name = null;
      Integer type = null;
      Boolean value = null;
      AttributeReader p = a.nested();
      while (p.next()) {
        switch (p.type()) {
          case DEVLINK_ATTR_PARAM_NAME -> name = p.string();
          case DEVLINK_ATTR_PARAM_TYPE -> type = p.u8();
          case DEVLINK_ATTR_PARAM_VALUES_LIST -> {
            AttributeReader list = p.nested();
            while (value == null && list.next()) {
              if (list.type() == DEVLINK_ATTR_PARAM_VALUE) {
                boolean data = false;
                AttributeReader v = list.nested();
                while (v.next()) {
                  if (v.type() == DEVLINK_ATTR_PARAM_VALUE_DATA) {
                    data = true;
                  }
                }
                value = data;
              }
            }
          }
          default -> {
            // PARAM_GENERIC: skipped
          }
        }
      }
      if (type == null || type != NLA_FLAG) {
        throw new MalformedMessageException(
            "devlink param " + name + " is not a bool (DEVLINK_ATTR_PARAM_TYPE " + type + ")");
      }
      if (value == null) {
        throw new MalformedMessageException("devlink param " + name + " without a value");
      }
      return value;
    }
    throw new MalformedMessageException("param reply without DEVLINK_ATTR_PARAM");
  }

  static DevlinkHandle decodeHandle(MessageReader m) throws MalformedMessageException {
    GenlMsgHdr.read(m.buffer(), m.payloadOffset(), m.end());
    String bus = null;
    String dev = null;
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + GenlMsgHdr.SIZE, m.end());
    while (a.next()) {
      if (a.type() == DEVLINK_ATTR_BUS_NAME) {
        bus = a.string();
      } else if (a.type() == DEVLINK_ATTR_DEV_NAME) {
        dev = a.string();
      }
    }
    if (bus == null || dev == null) {
      throw new MalformedMessageException("devlink reply without DEVLINK_ATTR_BUS/DEV_NAME");
    }
    return new DevlinkHandle(bus, dev);
  }

  /** Decodes a DEVLINK_CMD_INFO_GET reply. */
  public static DevlinkInfo decodeInfo(MessageReader m) throws MalformedMessageException {
    DevlinkHandle h = decodeHandle(m);
    String driver = null;
    String serial = null;
    Map<String, String> fixed = new LinkedHashMap<>();
    Map<String, String> running = new LinkedHashMap<>();
    Map<String, String> stored = new LinkedHashMap<>();
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + GenlMsgHdr.SIZE, m.end());
    while (a.next()) {
      switch (a.type()) {
        case DEVLINK_ATTR_INFO_DRIVER_NAME -> driver = a.string();
        case DEVLINK_ATTR_INFO_SERIAL_NUMBER -> serial = a.string();
        case DEVLINK_ATTR_INFO_VERSION_FIXED -> version(a.nested(), fixed);
        case DEVLINK_ATTR_INFO_VERSION_RUNNING -> version(a.nested(), running);
        case DEVLINK_ATTR_INFO_VERSION_STORED -> version(a.nested(), stored);
        default -> {
          // handle, board serial...: skipped
        }
      }
    }
    return new DevlinkInfo(
        h,
        Optional.ofNullable(driver),
        Optional.ofNullable(serial),
        Map.copyOf(fixed),
        Map.copyOf(running),
        Map.copyOf(stored));
  }

  private static void version(AttributeReader v, Map<String, String> into)
      throws MalformedMessageException {
    String name = null;
    String value = null;
    while (v.next()) {
      if (v.type() == DEVLINK_ATTR_INFO_VERSION_NAME) {
        name = v.string();
      } else if (v.type() == DEVLINK_ATTR_INFO_VERSION_VALUE) {
        value = v.string();
      }
    }
    if (name == null || value == null) {
      throw new MalformedMessageException("devlink version without name or value");
    }
    into.put(name, value);
  }

  /** Decodes DEVLINK_CMD_ESWITCH_GET. */
  public static EswitchMode decodeEswitch(MessageReader m) throws MalformedMessageException {
    GenlMsgHdr.read(m.buffer(), m.payloadOffset(), m.end());
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + GenlMsgHdr.SIZE, m.end());
    while (a.next()) {
      if (a.type() == DEVLINK_ATTR_ESWITCH_MODE) {
        try {
          return EswitchMode.fromKernel(a.u16());
        } catch (IllegalArgumentException e) {
          throw new MalformedMessageException(e.getMessage());
        }
      }
    }
    throw new MalformedMessageException("eswitch reply without DEVLINK_ATTR_ESWITCH_MODE");
  }

  // ---- operations --------------------------------------------------------------------------

  @Override
  public List<DevlinkHandle> devices() throws NetlinkException {
    lock.lock();
    try {
      request(writer, family.id(), DEVLINK_CMD_GET, null);
      return socket.dump(writer, "DEVLINK_CMD_GET dump", DevlinkClient::decodeHandle);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<DevlinkInfo> info(DevlinkHandle handle) throws NetlinkException {
    lock.lock();
    try {
      request(writer, family.id(), DEVLINK_CMD_INFO_GET, handle);
      return socket.get(
          writer,
          "DEVLINK_CMD_INFO_GET " + handle,
          DevlinkClient::decodeInfo,
          Errno.ENODEV,
          Errno.ENOENT);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Boolean> boolParam(DevlinkHandle handle, String name) throws NetlinkException {
    lock.lock();
    try {
      paramRequest(writer, family.id(), handle, name);
      // No such device (ENODEV, ENOENT) or param (EINVAL, "The requested param does not exist").
      return socket.get(
          writer,
          "DEVLINK_CMD_PARAM_GET " + handle + " " + name,
          DevlinkClient::decodeBoolParam,
          Errno.ENODEV,
          Errno.ENOENT,
          Errno.EINVAL,
          Errno.EOPNOTSUPP);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public EswitchMode eswitchMode(DevlinkHandle handle) throws NetlinkException {
    lock.lock();
    try {
      request(writer, family.id(), DEVLINK_CMD_ESWITCH_GET, handle);
      String op = "DEVLINK_CMD_ESWITCH_GET " + handle;
      return socket
          .get(writer, op, DevlinkClient::decodeEswitch)
          .orElseThrow(() -> new ErrnoException(op, Errno.ENODATA));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void setEswitchMode(DevlinkHandle handle, EswitchMode mode) throws NetlinkException {
    lock.lock();
    try {
      setEswitchRequest(writer, family.id(), handle, mode);
      socket.execute(writer, "DEVLINK_CMD_ESWITCH_SET " + handle + " mode " + mode);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
