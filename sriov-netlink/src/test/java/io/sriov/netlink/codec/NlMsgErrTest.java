package io.sriov.netlink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.testing.Captured;
import io.sriov.os.Errno;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NlMsgErrTest {

  private static NlMsgErr decode(String name) throws Exception {
    MessageReader m = new MessageReader(Captured.buffer(name));
    assertThat(m.next()).isTrue();
    assertThat(m.type()).isEqualTo(Netlink.NLMSG_ERROR);
    return NlMsgErr.read(m.buffer(), m.payloadOffset(), m.end(), m.flags());
  }

  @Test
  void kernelExtendedAckIsDecoded() throws Exception {
    NlMsgErr err = decode("error-unknown-kind.reply.bin");
    assertThat(err.error()).isEqualTo(Errno.EOPNOTSUPP.number());
    assertThat(err.request().type()).isEqualTo(Rtnetlink.RTM_NEWLINK);
    assertThat(err.extAck()).contains("Unknown device type");
    ErrnoException e =
        new ErrnoException("RTM_NEWLINK capx0", Errno.of(err.error()), err.extAck().get());
    assertThat(e)
        .hasMessage("RTM_NEWLINK capx0: EOPNOTSUPP (Operation not supported): Unknown device type");
    assertThat(e.errnoName()).isEqualTo("EOPNOTSUPP");
  }

  @Test
  void plainErrorHasNoExtendedAck() throws Exception {
    NlMsgErr err = decode("error-eexist.reply.bin");
    assertThat(err.error()).isEqualTo(Errno.EEXIST.number());
    assertThat(err.extAck()).isEmpty();
    assertThat(new ErrnoException("RTM_NEWLINK capbr0 type bridge", Errno.of(err.error())))
        .hasMessage("RTM_NEWLINK capbr0 type bridge: EEXIST (File exists)");
  }

  @Test
  void ackIsErrorZero() throws Exception {
    NlMsgErr ack = decode("ack.reply.bin");
    assertThat(ack.error()).isZero();
    assertThat(ack.request().type()).isEqualTo(Rtnetlink.RTM_SETLINK);
  }

  @Test
  void truncatedErrorIsMalformed() {
    byte[] b = Captured.bytes("error-unknown-kind.reply.bin");
    byte[] cut = Arrays.copyOf(b, 30);
    java.nio.ByteBuffer buf = Captured.wrap(cut);
    assertThatThrownBy(() -> NlMsgErr.read(buf, 16, 30, 0))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: nlmsgerr at offset 16 needs 20 bytes, message has 14");
  }
}
