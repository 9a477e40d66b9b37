package io.sriov.netlink.socket;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.NlMsgErr;
import io.sriov.os.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request/reply protocol over any datagram transport: acks, single replies, multi-part dumps
 * with the NLM_F_DUMP_INTR retry, NLMSG_ERROR and NLMSG_DONE errors. Pure Java, so it is tested
 * with scripted kernel replies; {@link NetlinkSocket} supplies the real transport. Replies with
 * another sequence number (late answers to an earlier request) are skipped.
 */
public final class NetlinkRequests {
  /** Dumps interrupted by a concurrent change are retried this many times. */
  public static final int DUMP_INTR_RETRIES = 5;

  private NetlinkRequests() {}

  /** Where requests go and replies come from. */
  public interface Transport {
    int nextSeq();

    void send(ByteBuffer message, String op) throws ErrnoException;

    /** One datagram (position 0, limit = length), valid until the next receive. */
    ByteBuffer receive(String op) throws ErrnoException;
  }

  /**
   * Sends a request (the writer's message; NLM_F_ACK is added) and waits for the kernel's ack.
   *
   * @param op what is attempted, for errors: {@code RTM_NEWLINK veth0}
   */
  public static void execute(Transport t, MessageWriter request, String op)
      throws NetlinkException {
    request.setFlags(request.flags() | Netlink.NLM_F_ACK);
    int s = t.nextSeq();
    t.send(request.finish(s), op);
    while (true) {
      MessageReader m = new MessageReader(t.receive(op));
      while (m.next()) {
        if (m.seq() != s) {
          continue;
        }
        if (m.type() == Netlink.NLMSG_ERROR) {
          NlMsgErr err = NlMsgErr.read(m.buffer(), m.payloadOffset(), m.end(), m.flags());
          if (err.error() != 0) {
            throw new ErrnoException(op, Errno.of(err.error()), err.extAck().orElse(null));
          }
          return;
        }
      }
    }
  }

  /**
   * Sends a request expecting exactly one reply message (RTM_GETLINK by index or name). Empty when
   * the kernel answers with one of {@code absentErrnos} (e.g. ENODEV: no such link).
   */
  public static <T> Optional<T> get(
      Transport t,
      MessageWriter request,
      String op,
      NetlinkSocket.Decoder<T> decoder,
      Errno... absent)
      throws NetlinkException {
    int s = t.nextSeq();
    t.send(request.finish(s), op);
    while (true) {
      MessageReader m = new MessageReader(t.receive(op));
      while (m.next()) {
        if (m.seq() != s) {
          continue;
        }
        if (m.type() == Netlink.NLMSG_ERROR) {
          NlMsgErr err = NlMsgErr.read(m.buffer(), m.payloadOffset(), m.end(), m.flags());
          if (err.error() == 0) {
            continue; // an ack following the reply
          }
          for (Errno a : absent) {
            if (err.error() == a.number()) {
              return Optional.empty();
            }
          }
          throw new ErrnoException(op, Errno.of(err.error()), err.extAck().orElse(null));
        }
        T value = decoder.decode(m);
        if (value != null) {
          return Optional.of(value);
        }
      }
    }
  }

  /**
   * Sends a dump request (the writer's message; NLM_F_DUMP is added) and decodes every reply until
   * NLMSG_DONE. An interrupted dump (NLM_F_DUMP_INTR) is retried up to {@link #DUMP_INTR_RETRIES}
   * times, then fails with EINTR.
   */
  public static <T> List<T> dump(
      Transport t, MessageWriter request, String op, NetlinkSocket.Decoder<T> decoder)
      throws NetlinkException {
    request.setFlags(request.flags() | Netlink.NLM_F_DUMP);
    for (int attempt = 0; ; attempt++) {
      List<T> out = new ArrayList<>();
      int s = t.nextSeq();
      t.send(request.finish(s), op);
      boolean interrupted = false;
      boolean done = false;
      while (!done) {
        MessageReader m = new MessageReader(t.receive(op));
        while (m.next()) {
          if (m.seq() != s) {
            continue;
          }
          if ((m.flags() & Netlink.NLM_F_DUMP_INTR) != 0) {
            interrupted = true;
          }
          if (m.type() == Netlink.NLMSG_DONE) {
            if (m.length() >= 20) {
              int error = m.buffer().getInt(m.payloadOffset());
              if (error < 0) {
                throw new ErrnoException(op, Errno.of(-error), doneExtAck(m));
              }
            }
            done = true;
            break;
          }
          if (m.type() == Netlink.NLMSG_ERROR) {
            NlMsgErr err = NlMsgErr.read(m.buffer(), m.payloadOffset(), m.end(), m.flags());
            if (err.error() != 0) {
              throw new ErrnoException(op, Errno.of(err.error()), err.extAck().orElse(null));
            }
            continue;
          }
          if (m.type() == Netlink.NLMSG_NOOP || m.type() == Netlink.NLMSG_OVERRUN) {
            continue;
          }
          T value = decoder.decode(m);
          if (value != null) {
            out.add(value);
          }
        }
      }
      if (!interrupted) {
        return out;
      }
      if (attempt >= DUMP_INTR_RETRIES) {
        throw new ErrnoException(
            op + " (dump interrupted " + (attempt + 1) + " times)", Errno.EINTR);
      }
    }
  }

  private static String doneExtAck(MessageReader m) throws MalformedMessageException {
    if ((m.flags() & Netlink.NLM_F_ACK_TLVS) == 0) {
      return null;
    }
    var tlv =
        new io.sriov.netlink.codec.AttributeReader(m.buffer(), m.payloadOffset() + 4, m.end());
    while (tlv.next()) {
      if (tlv.type() == Netlink.NLMSGERR_ATTR_MSG) {
        return tlv.string();
      }
    }
    return null;
  }
}
