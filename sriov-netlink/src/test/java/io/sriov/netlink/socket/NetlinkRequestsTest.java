package io.sriov.netlink.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlDecoders;
import io.sriov.netlink.route.RtnlRequests;
import io.sriov.netlink.testing.Captured;
import io.sriov.os.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request/reply protocol on scripted kernel replies (captured bytes, sequence rewritten). */
class NetlinkRequestsTest {

  /** Replays datagrams; stamps each message with the sequence of the last request. */
  static final class Script implements NetlinkRequests.Transport {
    final Deque<byte[]> replies = new ArrayDeque<>();
    int seq = 100;
    int sent;
    boolean stamp = true;

    Script reply(byte[] datagram) {
      replies.add(datagram.clone());
      return this;
    }

    @Override
    public int nextSeq() {
      return ++seq;
    }

    @Override
    public void send(ByteBuffer message, String op) {
      sent++;
    }

    @Override
    public ByteBuffer receive(String op) {
      ByteBuffer b = Captured.wrap(replies.removeFirst());
      if (stamp) {
        for (int at = 0; at + 16 <= b.limit(); at += (b.getInt(at) + 3) & ~3) {
          b.putInt(at + 8, seq);
        }
      }
      return b;
    }
  }

  private static byte[] withFlag(byte[] datagram, int flag) {
    ByteBuffer b = Captured.wrap(datagram.clone());
    b.putShort(6, (short) (b.getShort(6) | flag)); // the first message
    return b.array();
  }

  private static MessageWriter dumpRequest() {
    MessageWriter w = new MessageWriter();
    RtnlRequests.dumpLinks(w, Rtnetlink.RTEXT_FILTER_SKIP_STATS);
    return w;
  }

  @Test
  void dumpCollectsEveryPartUntilDone() throws Exception {
    Script s = new Script().reply(Captured.bytes("dump-links.reply.bin"));
    List<Link> links =
        NetlinkRequests.dump(s, dumpRequest(), "RTM_GETLINK dump", RtnlDecoders::link);
    assertThat(links).hasSize(5);
    assertThat(s.sent).isEqualTo(1);
  }

  @Test
  void interruptedDumpIsRetried() throws Exception {
    byte[] dump = Captured.bytes("dump-links.reply.bin");
    Script s = new Script().reply(withFlag(dump, Netlink.NLM_F_DUMP_INTR)).reply(dump);
    List<Link> links =
        NetlinkRequests.dump(s, dumpRequest(), "RTM_GETLINK dump", RtnlDecoders::link);
    assertThat(links).hasSize(5);
    assertThat(s.sent).isEqualTo(2);
  }

  @Test
  void dumpInterruptedEveryTimeFailsAfterTheBound() {
    byte[] intr = withFlag(Captured.bytes("dump-links.reply.bin"), Netlink.NLM_F_DUMP_INTR);
    Script s = new Script();
    for (int i = 0; i <= NetlinkRequests.DUMP_INTR_RETRIES; i++) {
      s.reply(intr);
    }
    assertThatThrownBy(
            () -> NetlinkRequests.dump(s, dumpRequest(), "RTM_GETLINK dump", RtnlDecoders::link))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("RTM_GETLINK dump (dump interrupted 6 times): EINTR (Interrupted system call)");
    assertThat(s.sent).isEqualTo(6);
  }

  @Test
  void dumpDoneCarryingAnErrorFails() {
    // NLMSG_DONE whose payload is -ENOBUFS
    ByteBuffer done = Captured.wrap(new byte[20]);
    done.putInt(0, 20).putShort(4, (short) Netlink.NLMSG_DONE).putShort(6, (short) 2);
    done.putInt(16, -Errno.ENOBUFS.number());
    Script s = new Script().reply(done.array());
    assertThatThrownBy(
            () -> NetlinkRequests.dump(s, dumpRequest(), "RTM_GETLINK dump", RtnlDecoders::link))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("RTM_GETLINK dump: ENOBUFS (No buffer space available)");
  }

  @Test
  void getReturnsTheReplyAndSkipsStaleSequenceNumbers() throws Exception {
    byte[] reply = Captured.bytes("getlink-cap0.reply.bin");
    Script s = new Script();
    s.stamp = false;
    ByteBuffer stale = Captured.wrap(reply.clone());
    stale.putInt(8, 5); // an answer to an older request
    ByteBuffer fresh = Captured.wrap(reply.clone());
    fresh.putInt(8, 101);
    s.reply(stale.array()).reply(fresh.array());
    MessageWriter w = new MessageWriter();
    RtnlRequests.getLinkByName(w, "cap0", 0);
    Optional<Link> l = NetlinkRequests.get(s, w, "RTM_GETLINK cap0", RtnlDecoders::link);
    assertThat(l.orElseThrow().name().value()).isEqualTo("cap0");
    assertThat(s.replies).isEmpty();
  }

  @Test
  void getMapsAbsentErrnoToEmptyAndOthersToExceptions() throws Exception {
    ByteBuffer enodev = Captured.wrap(Captured.bytes("error-eexist.reply.bin").clone());
    enodev.putInt(16, -Errno.ENODEV.number());
    Script s = new Script().reply(enodev.array()).reply(Captured.bytes("error-eexist.reply.bin"));
    MessageWriter w = new MessageWriter();
    RtnlRequests.getLink(w, 42, 0);
    assertThat(
            NetlinkRequests.get(s, w, "RTM_GETLINK ifindex 42", RtnlDecoders::link, Errno.ENODEV))
        .isEmpty();
    assertThatThrownBy(
            () ->
                NetlinkRequests.get(
                    s, w, "RTM_GETLINK ifindex 42", RtnlDecoders::link, Errno.ENODEV))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("RTM_GETLINK ifindex 42: EEXIST (File exists)");
  }

  @Test
  void executeWaitsForTheAckAndReportsExtendedAcks() throws Exception {
    Script s =
        new Script()
            .reply(Captured.bytes("ack.reply.bin"))
            .reply(Captured.bytes("error-unknown-kind.reply.bin"));
    MessageWriter w = new MessageWriter();
    RtnlRequests.setMtu(w, 2, 1400);
    NetlinkRequests.execute(s, w, "RTM_SETLINK ifindex 2 mtu 1400");
    assertThat(w.flags() & Netlink.NLM_F_ACK).isEqualTo(Netlink.NLM_F_ACK);
    assertThatThrownBy(() -> NetlinkRequests.execute(s, w, "RTM_NEWLINK capx0"))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("RTM_NEWLINK capx0: EOPNOTSUPP (Operation not supported): Unknown device type");
  }
}
