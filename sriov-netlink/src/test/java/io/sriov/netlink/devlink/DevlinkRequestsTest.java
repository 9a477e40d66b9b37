package io.sriov.netlink.devlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.PciAddress;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.Devlink;
import io.sriov.netlink.codec.GenlMsgHdr;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.testing.Captured;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * devlink cannot run on this kernel (no devlink family), so the requests are pinned by their C
 * layout and the reply decoding is checked on messages built to the kernel's format.
 */
class DevlinkRequestsTest {
  private static final int FAMILY = 0x14;
  private static final DevlinkHandle PF = DevlinkHandle.pci(PciAddress.parse("0000:af:00.0"));

  private static String hex(MessageWriter w) {
    return HexFormat.of().formatHex(Captured.toBytes(w.finish(0)));
  }

  @Test
  void eswitchSetRequestBytes() {
    MessageWriter w = new MessageWriter();
    DevlinkClient.setEswitchRequest(w, FAMILY, PF, EswitchMode.SWITCHDEV);
    assertThat(hex(w))
        .isEqualTo(
            "38000000"
                + "1400"
                + "0100"
                + "00000000"
                + "00000000" // nlmsghdr, len 56
                + "1e010000" // genlmsghdr: DEVLINK_CMD_ESWITCH_SET (30), version 1
                + "08000100"
                + "70636900" // DEVLINK_ATTR_BUS_NAME "pci"
                + "11000200"
                + "303030303a61663a30302e3000"
                + "000000" // DEV_NAME
                + "06001900"
                + "0100"
                + "0000"); // DEVLINK_ATTR_ESWITCH_MODE u16 switchdev
  }

  @Test
  void infoAndEswitchGetRequestsCarryTheHandle() {
    MessageWriter w = new MessageWriter();
    DevlinkClient.request(w, FAMILY, Devlink.DEVLINK_CMD_INFO_GET, PF);
    assertThat(hex(w).substring(32, 40)).isEqualTo("33010000"); // cmd 51, version 1
    DevlinkClient.request(w, FAMILY, Devlink.DEVLINK_CMD_ESWITCH_GET, PF);
    assertThat(hex(w).substring(32, 40)).isEqualTo("1d010000"); // cmd 29
  }

  @Test
  void familyLookupMatchesIproute2() {
    MessageWriter w = new MessageWriter();
    GenericNetlink.getFamilyRequest(w, "devlink");
    byte[] ours = Captured.toBytes(w.finish(0));
    byte[] ip = Captured.hex("genl-getfamily-devlink.request.hex");
    assertThat(ours.length).isEqualTo(ip.length);
    assertThat(Arrays.copyOfRange(ours, 16, ours.length))
        .isEqualTo(Arrays.copyOfRange(ip, 16, ip.length));
  }

  private static MessageReader infoReply(boolean withValue) throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(FAMILY, 0);
    new GenlMsgHdr(Devlink.DEVLINK_CMD_INFO_GET, 1).write(w);
    w.attrString(Devlink.DEVLINK_ATTR_BUS_NAME, "pci");
    w.attrString(Devlink.DEVLINK_ATTR_DEV_NAME, "0000:af:00.0");
    w.attrString(Devlink.DEVLINK_ATTR_INFO_DRIVER_NAME, "ice");
    w.attrString(Devlink.DEVLINK_ATTR_INFO_SERIAL_NUMBER, "00-01-02-ff-ff-03-04-05");
    int fixed = w.beginNested(Devlink.DEVLINK_ATTR_INFO_VERSION_FIXED);
    w.attrString(Devlink.DEVLINK_ATTR_INFO_VERSION_NAME, "board.id");
    w.attrString(Devlink.DEVLINK_ATTR_INFO_VERSION_VALUE, "K91258-000");
    w.endNested(fixed);
    int running = w.beginNested(Devlink.DEVLINK_ATTR_INFO_VERSION_RUNNING);
    w.attrString(Devlink.DEVLINK_ATTR_INFO_VERSION_NAME, "fw.app.name");
    if (withValue) {
      w.attrString(Devlink.DEVLINK_ATTR_INFO_VERSION_VALUE, "ICE COMMS Package");
    }
    w.endNested(running);
    MessageReader m = new MessageReader(w.finish(1));
    m.next();
    return m;
  }

  @Test
  void infoReplyGivesTheDdpProfile() throws Exception {
    DevlinkInfo info = DevlinkClient.decodeInfo(infoReply(true));
    assertThat(info.handle()).isEqualTo(PF);
    assertThat(info.driver()).contains("ice");
    assertThat(info.fixed()).containsEntry("board.id", "K91258-000");
    assertThat(info.ddpProfile()).contains("ICE COMMS Package");
  }

  @Test
  void versionWithoutValueIsMalformed() throws Exception {
    MessageReader m = infoReply(false);
    assertThatThrownBy(() -> DevlinkClient.decodeInfo(m))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: devlink version without name or value");
  }

  @Test
  void eswitchModeWordsParse() {
    assertThat(EswitchMode.parse("switchdev")).isEqualTo(EswitchMode.SWITCHDEV);
    assertThatThrownBy(() -> EswitchMode.parse("offload"))
        .hasMessage("eswitch mode \"offload\": expected legacy or switchdev");
  }

  @Test
  void paramGetRequestBytes() {
    MessageWriter w = new MessageWriter();
    DevlinkClient.paramRequest(w, FAMILY, PF, "enable_rdma");
    assertThat(hex(w))
        .isEqualTo(
            "40000000"
                + "1400"
                + "0100"
                + "00000000"
                + "00000000" // nlmsghdr, len 64
                + "26010000" // genlmsghdr: DEVLINK_CMD_PARAM_GET (38), version 1
                + "08000100"
                + "70636900" // DEVLINK_ATTR_BUS_NAME "pci"
                + "11000200"
                + "303030303a61663a30302e3000"
                + "000000" // DEV_NAME
                + "10005100"
                + "656e61626c655f72646d6100"); // DEVLINK_ATTR_PARAM_NAME "enable_rdma"
  }

  /** As devlink_nl_param_fill lays out a bool param (one value per supported cmode). */
  private static MessageReader paramReply(int type, boolean... values) throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(FAMILY, 0);
    new GenlMsgHdr(Devlink.DEVLINK_CMD_PARAM_GET, 1).write(w);
    w.attrString(Devlink.DEVLINK_ATTR_BUS_NAME, "pci");
    w.attrString(Devlink.DEVLINK_ATTR_DEV_NAME, "0000:3b:02.0");
    int param = w.beginNested(Devlink.DEVLINK_ATTR_PARAM);
    w.attrString(Devlink.DEVLINK_ATTR_PARAM_NAME, "enable_rdma");
    w.attrFlag(Devlink.DEVLINK_ATTR_PARAM_GENERIC);
    w.attrU8(Devlink.DEVLINK_ATTR_PARAM_TYPE, type);
    int list = w.beginNested(Devlink.DEVLINK_ATTR_PARAM_VALUES_LIST);
    for (boolean v : values) {
      int value = w.beginNested(Devlink.DEVLINK_ATTR_PARAM_VALUE);
      w.attrU8(Devlink.DEVLINK_ATTR_PARAM_VALUE_CMODE, 1); // driverinit
      if (v) {
        w.attrFlag(Devlink.DEVLINK_ATTR_PARAM_VALUE_DATA);
      }
      w.endNested(value);
    }
    w.endNested(list);
    w.endNested(param);
    MessageReader m = new MessageReader(w.finish(1));
    m.next();
    return m;
  }

  @Test
  void boolParamReplyGivesTheFirstValue() throws Exception {
    assertThat(DevlinkClient.decodeBoolParam(paramReply(Devlink.NLA_FLAG, true))).isTrue();
    assertThat(DevlinkClient.decodeBoolParam(paramReply(Devlink.NLA_FLAG, false, true))).isFalse();
  }

  @Test
  void aParamThatIsNotABoolOrHasNoValueIsMalformed() throws Exception {
    MessageReader u32 = paramReply(3, true);
    assertThatThrownBy(() -> DevlinkClient.decodeBoolParam(u32))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: devlink param enable_rdma is not a bool"
                + " (DEVLINK_ATTR_PARAM_TYPE 3)");
    MessageReader none = paramReply(Devlink.NLA_FLAG);
    assertThatThrownBy(() -> DevlinkClient.decodeBoolParam(none))
        .hasMessage("malformed netlink message: devlink param enable_rdma without a value");
  }
}
