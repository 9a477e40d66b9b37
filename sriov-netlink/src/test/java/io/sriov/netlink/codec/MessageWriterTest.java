package io.sriov.netlink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.testing.Captured;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageWriterTest {

  private static String hex(MessageWriter w, int seq) {
    return HexFormat.of().formatHex(Captured.toBytes(w.finish(seq)));
  }

  @Test
  void headerCarriesLengthTypeFlagsAndSequence() {
    MessageWriter w = new MessageWriter(16);
    w.begin(Rtnetlink.RTM_GETLINK, Netlink.NLM_F_REQUEST);
    assertThat(hex(w, 0x01020304))
        .isEqualTo("10000000" + "1200" + "0100" + "04030201" + "00000000");
  }

  @Test
  void attributesArePaddedToFourBytesWithLengthExcludingPadding() {
    MessageWriter w = new MessageWriter(8);
    w.begin(1, 0);
    w.attrU8(7, 0xab).attrU16(8, 0x1234).attrString(3, "lo").attrFlag(9).attrU64(10, 1L);
    String body = hex(w, 0).substring(32);
    assertThat(body)
        .isEqualTo(
            "05000700ab000000" // nla_len 5, u8, 3 bytes pad
                + "060008003412"
                + "0000" // nla_len 6, u16, 2 bytes pad
                + "070003006c6f00"
                + "00" // "lo\0", 1 byte pad
                + "04000900" // flag: header only
                + "0c000a000100000000000000"); // u64
  }

  @Test
  void nestsAreBackPatchedAndMayCarryNlaFNested() {
    MessageWriter w = new MessageWriter();
    w.begin(1, 0);
    int outer = w.beginNested(IfLink.IFLA_PROP_LIST | Netlink.NLA_F_NESTED);
    int inner = w.beginNested(2);
    w.attrU32(1, 5);
    w.endNested(inner);
    w.endNested(outer);
    assertThat(hex(w, 0).substring(32))
        .isEqualTo("10003480" + "0c000200" + "08000100" + "05000000");
  }

  @Test
  void growsBeyondItsInitialCapacity() {
    MessageWriter w = new MessageWriter(16);
    w.begin(1, 0);
    for (int i = 0; i < 100; i++) {
      w.attrU32(1, i);
    }
    assertThat(w.finish(0).remaining()).isEqualTo(16 + 100 * 8);
  }

  @Test
  void unclosedNestIsRefused() {
    MessageWriter w = new MessageWriter();
    w.begin(1, 0);
    w.beginNested(1);
    assertThatThrownBy(() -> w.finish(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("1 nested attribute(s) not closed");
  }

  @Test
  void oversizedAttributeIsRefused() {
    MessageWriter w = new MessageWriter();
    w.begin(1, 0);
    assertThatThrownBy(() -> w.attrBytes(5, new byte[70_000]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attribute 5 too long: 70004 bytes");
  }
}
