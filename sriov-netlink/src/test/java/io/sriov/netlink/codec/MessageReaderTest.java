package io.sriov.netlink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.testing.Captured;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MessageReaderTest {

  @Test
  void walksEveryMessageOfACapturedDump() throws Exception {
    MessageReader m = new MessageReader(Captured.buffer("dump-links.reply.bin"));
    int links = 0;
    int done = 0;
    while (m.next()) {
      if (m.type() == Rtnetlink.RTM_NEWLINK) {
        links++;
        assertThat(m.flags() & Netlink.NLM_F_MULTI).isEqualTo(Netlink.NLM_F_MULTI);
      } else if (m.type() == Netlink.NLMSG_DONE) {
        done++;
      }
    }
    // lo, cap0, cap1, capbr0, capmv0 in the capture namespace
    assertThat(links).isEqualTo(5);
    assertThat(done).isEqualTo(1);
  }

  @Test
  void truncatedDatagramIsMalformed() {
    byte[] full = Captured.bytes("getlink-cap0.reply.bin");
    ByteBuffer cut = Captured.wrap(Arrays.copyOf(full, 100));
    assertThatThrownBy(
            () -> {
              MessageReader m = new MessageReader(cut);
              m.next();
            })
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: nlmsghdr at offset 0: nlmsg_len "
                + full.length
                + " exceeds the 100 bytes left");
  }

  @Test
  void headerShorterThanSixteenBytesIsMalformed() {
    ByteBuffer b = Captured.wrap(new byte[10]);
    assertThatThrownBy(() -> new MessageReader(b).next())
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: truncated nlmsghdr at offset 0: 10 of 16 bytes");
  }

  @Test
  void lengthBelowTheHeaderIsMalformed() {
    ByteBuffer b = Captured.wrap(new byte[16]);
    b.putInt(0, 8);
    assertThatThrownBy(() -> new MessageReader(b).next())
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: nlmsghdr at offset 0: nlmsg_len 8 < 16");
  }
}
