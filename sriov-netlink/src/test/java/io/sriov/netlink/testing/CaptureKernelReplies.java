package io.sriov.netlink.testing;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.devlink.GenericNetlink;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.MacvlanMode;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.route.RtnlRequests;
import io.sriov.netlink.socket.NetlinkSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records raw kernel replies as test resources (src/test/resources/captured/*.bin). Run as root
 * inside a throwaway namespace, from the module directory:
 *
 * <pre>
 * ip netns add cap &amp;&amp; ip netns exec cap java -cp ... \
 *     io.sriov.netlink.testing.CaptureKernelReplies src/test/resources/captured; ip netns del cap
 * </pre>
 *
 * Every file holds whole datagrams back to back, exactly as recvmsg(2) returned them.
 */
public final class CaptureKernelReplies {
  private CaptureKernelReplies() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (RtnlClient c = RtnlClient.open();
        NetlinkSocket raw = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
        NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_ROUTE, Rtnetlink.RTMGRP_LINK);
        NetlinkSocket genl = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
      c.setUp(1, true);
      var veth = c.create(new LinkSpec.Veth(InterfaceName.of("cap0"), InterfaceName.of("cap1")));
      c.setMtu(veth.index(), 1400);
      c.addAltName(veth.index(), "capture-veth-with-a-long-alternative-name");
      var br = c.create(new LinkSpec.Bridge(InterfaceName.of("capbr0")));
      var mv =
          c.create(
              new LinkSpec.Macvlan(InterfaceName.of("capmv0"), veth.index(), MacvlanMode.BRIDGE));
      c.setMaster(c.link("cap1").orElseThrow().index(), br.index());
      c.setUp(veth.index(), true);
      c.setUp(c.link("cap1").orElseThrow().index(), true);
      c.addAddress(veth.index(), IpPrefix.parse("198.51.100.7/24"), false);
      c.addAddress(veth.index(), IpPrefix.parse("2001:db8::7/64"), true);
      c.addRoute(
          RouteSpec.via(
                  IpPrefix.parse("203.0.113.0/24"),
                  IpPrefix.parseAddress("198.51.100.1"),
                  veth.index())
              .withPriority(50));
      MessageWriter w = new MessageWriter();

      RtnlRequests.getLinkByName(w, "cap0", Rtnetlink.RTEXT_FILTER_SKIP_STATS);
      save(dir, "getlink-cap0.reply.bin", request(raw, w, false));
      RtnlRequests.dumpLinks(w, Rtnetlink.RTEXT_FILTER_SKIP_STATS);
      save(dir, "dump-links.reply.bin", request(raw, w, true));
      RtnlRequests.dumpAddresses(w, 0, 0);
      save(dir, "dump-addresses.reply.bin", request(raw, w, true));
      RtnlRequests.dumpRoutes(w, 2, Rtnetlink.RT_TABLE_MAIN);
      save(dir, "dump-routes-v4.reply.bin", request(raw, w, true));
      RtnlRequests.dumpRoutes(w, 10, Rtnetlink.RT_TABLE_MAIN);
      save(dir, "dump-routes-v6.reply.bin", request(raw, w, true));

      // An error with an extended ack: unknown link kind.
      w.begin(
          Rtnetlink.RTM_NEWLINK,
          Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
      new io.sriov.netlink.codec.IfInfoMsg(0, 0, 0, 0, 0).write(w);
      w.attrString(io.sriov.netlink.codec.IfLink.IFLA_IFNAME, "capx0");
      int li = w.beginNested(io.sriov.netlink.codec.IfLink.IFLA_LINKINFO);
      w.attrString(io.sriov.netlink.codec.IfLink.IFLA_INFO_KIND, "nosuchkind");
      w.endNested(li);
      save(dir, "error-unknown-kind.reply.bin", request(raw, w, false));
      // A plain error: the name exists.
      RtnlRequests.newLink(w, new LinkSpec.Bridge(InterfaceName.of("capbr0")));
      w.setFlags(w.flags() | Netlink.NLM_F_ACK);
      save(dir, "error-eexist.reply.bin", request(raw, w, false));
      // An ack.
      RtnlRequests.setMtu(w, veth.index(), 1400);
      w.setFlags(w.flags() | Netlink.NLM_F_ACK);
      save(dir, "ack.reply.bin", request(raw, w, false));

      GenericNetlink.getFamilyRequest(w, "nlctrl");
      save(dir, "genl-getfamily-nlctrl.reply.bin", request(genl, w, false));

      // Link events: cap1 set down (RTM_NEWLINK, IFF_UP cleared), then capmv0 deleted
      // (RTM_DELLINK).
      drain(events);
      c.setUp(c.link("cap1").orElseThrow().index(), false);
      save(dir, "event-link-down.bin", copy(events.receive("event")));
      c.delete(mv.index());
      ByteBuffer del;
      do {
        del = events.receive("event");
      } while (del.getShort(4) != Rtnetlink.RTM_DELLINK);
      save(dir, "event-dellink.bin", copy(del));
    }
  }

  private static void drain(NetlinkSocket events) throws Exception {
    while (events.receive(0, "drain").isPresent()) {
      // discard
    }
  }

  private static byte[] request(NetlinkSocket s, MessageWriter w, boolean dump) throws Exception {
    if (dump) {
      w.setFlags(w.flags() | Netlink.NLM_F_DUMP);
    }
    s.send(w.finish(s.nextSeq()), "capture");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      ByteBuffer d = s.receive("capture");
      byte[] b = copy(d);
      out.write(b);
      int type = d.getShort(4);
      if (!dump || type == Netlink.NLMSG_DONE || type == Netlink.NLMSG_ERROR) {
        // the last message of a dump datagram is NLMSG_DONE when present
        if (!dump || lastType(d) == Netlink.NLMSG_DONE) {
          return out.toByteArray();
        }
      }
      if (dump && lastType(d) == Netlink.NLMSG_DONE) {
        return out.toByteArray();
      }
    }
  }

  private static int lastType(ByteBuffer d) {
    int at = 0;
    int type = -1;
    while (at + 16 <= d.limit()) {
      int len = d.getInt(at);
      type = d.getShort(at + 4);
      at += (len + 3) & ~3;
    }
    return type;
  }

  private static byte[] copy(ByteBuffer d) {
    byte[] b = new byte[d.limit()];
    d.get(0, b);
    return b;
  }

  private static void save(Path dir, String name, byte[] bytes) throws Exception {
    Files.write(dir.resolve(name), bytes);
    System.out.println(name + " " + bytes.length + " bytes");
  }
}
