package io.sriov.netlink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.testing.Captured;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeReaderTest {

  private static ByteBuffer hex(String h) {
    return Captured.wrap(HexFormat.of().parseHex(h));
  }

  @Test
  void readsTypedValuesAndSkipsUnknownTypes() throws Exception {
    ByteBuffer b = hex("08000400dc050000" + "0800ff1f01020304" + "070003006c6f0000");
    AttributeReader a = new AttributeReader(b, 0, b.limit());
    List<String> seen = new ArrayList<>();
    while (a.next()) {
      switch (a.type()) {
        case IfLink.IFLA_MTU -> seen.add("mtu=" + a.u32());
        case IfLink.IFLA_IFNAME -> seen.add("name=" + a.string());
        default -> seen.add("skipped " + a.type());
      }
    }
    assertThat(seen).containsExactly("mtu=1500", "skipped 8191", "name=lo");
  }

  @Test
  void nestedFlagIsMaskedFromTheType() throws Exception {
    ByteBuffer b = hex("0c00348008000100" + "05000000");
    AttributeReader a = new AttributeReader(b, 0, b.limit());
    assertThat(a.next()).isTrue();
    assertThat(a.type()).isEqualTo(IfLink.IFLA_PROP_LIST);
    assertThat(a.isNested()).isTrue();
    AttributeReader n = a.nested();
    assertThat(n.next()).isTrue();
    assertThat(n.u32()).isEqualTo(5);
    assertThat(n.next()).isFalse();
  }

  @Test
  void attributeShorterThanItsHeaderIsMalformed() {
    ByteBuffer b = hex("0200040000000000");
    assertThatThrownBy(
            () -> {
              AttributeReader a = new AttributeReader(b, 0, b.limit());
              a.next();
            })
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: attribute at offset 0: nla_len 2 < 4");
  }

  @Test
  void attributeRunningPastTheEndIsMalformed() {
    ByteBuffer b = hex("08000400dc050000" + "10000300aabb");
    assertThatThrownBy(
            () -> {
              AttributeReader a = new AttributeReader(b, 0, b.limit());
              while (a.next()) {
                // walk
              }
            })
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: attribute type 3 at offset 8: nla_len 16 exceeds the 6"
                + " bytes left");
  }

  @Test
  void wrongPayloadSizeForATypedGetterIsMalformed() throws Exception {
    ByteBuffer b = hex("06000400dc05" + "0000");
    AttributeReader a = new AttributeReader(b, 0, b.limit());
    a.next();
    assertThatThrownBy(a::u32)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: attribute type 4 at offset 0: expected a 4-byte payload,"
                + " got 2 bytes");
  }

  @Test
  void structShorterThanItsCLayoutIsMalformed() throws Exception {
    ByteBuffer b = hex("0800010003000000"); // an IFLA_VF_MAC of 4 bytes instead of 36
    AttributeReader a = new AttributeReader(b, 0, b.limit());
    a.next();
    assertThatThrownBy(() -> a.structBytes(4, 6, 36))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: attribute type 1 at offset 0: expected a at least"
                + " 36-byte payload, got 4 bytes");
  }

  @Test
  void rangeOutsideTheBufferIsRefused() {
    ByteBuffer b = hex("00000000");
    assertThatThrownBy(() -> new AttributeReader(b, 0, 8))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: attribute range [0, 8) outside buffer of 4");
  }

  @Test
  void addressNeedsFourOrSixteenBytes() throws Exception {
    ByteBuffer b = hex("0900010001020304" + "05000000");
    AttributeReader a = new AttributeReader(b, 0, b.limit());
    a.next();
    assertThatThrownBy(a::address)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: attribute type 1 at offset 0: expected a 4- or 16-byte"
                + " address payload, got 5 bytes");
  }
}
