package io.sriov.netlink.route;

import static io.sriov.netlink.codec.IfLink.*;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.AttributeReader;
import io.sriov.netlink.codec.IfAddr;
import io.sriov.netlink.codec.IfAddrMsg;
import io.sriov.netlink.codec.IfInfoMsg;
import io.sriov.netlink.codec.IflaVf;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.RtMsg;
import io.sriov.netlink.codec.Rtnetlink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decodes rtnetlink replies (RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE) into values. Strict on sizes,
 * tolerant of attributes it does not know (skipped).
 */
public final class RtnlDecoders {
  private RtnlDecoders() {}

  /**
   * Whether an RTM_DELLINK says the link moved to another network namespace (it carries
   * IFLA_NEW_NETNSID, kernel 4.16+) rather than that it was deleted; false for other messages.
   */
  public static boolean movedToAnotherNamespace(MessageReader m) throws MalformedMessageException {
    if (m.type() != Rtnetlink.RTM_DELLINK) {
      return false;
    }
    IfInfoMsg.read(m.buffer(), m.payloadOffset(), m.end());
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + IfInfoMsg.SIZE, m.end());
    while (a.next()) {
      if (a.type() == IFLA_NEW_NETNSID) {
        return true;
      }
    }
    return false;
  }

  /** RTM_NEWLINK / RTM_DELLINK to a {@link Link}; other message types yield null. */
  public static Link link(MessageReader m) throws MalformedMessageException {
    if (m.type() != Rtnetlink.RTM_NEWLINK && m.type() != Rtnetlink.RTM_DELLINK) {
      return null;
    }
    IfInfoMsg ifi = IfInfoMsg.read(m.buffer(), m.payloadOffset(), m.end());
    String name = null;
    List<String> alt = new ArrayList<>();
    String kind = null;
    int operState = 0;
    boolean carrier = false;
    int mtu = 0;
    MacAddress mac = null;
    int addressLength = 0;
    MacAddress perm = null;
    OptionalInt master = OptionalInt.empty();
    OptionalInt parent = OptionalInt.empty();
    OptionalInt netnsId = OptionalInt.empty();
    OptionalInt numVfs = OptionalInt.empty();
    List<VfInfo> vfs = List.of();
    String parentDev = null;
    String parentBus = null;
    BondOptions bond = null;
    LinkStats stats = null;
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + IfInfoMsg.SIZE, m.end());
    while (a.next()) {
      switch (a.type()) {
        case IFLA_IFNAME -> name = a.string();
        case IFLA_MTU -> mtu = a.u32();
        case IFLA_OPERSTATE -> operState = a.u8();
        case IFLA_CARRIER -> carrier = a.u8() != 0;
        case IFLA_ADDRESS -> {
          addressLength = a.length();
          mac = addressLength == 6 ? MacAddress.of(a.bytes()) : null;
        }
        case IFLA_PERM_ADDRESS -> perm = a.length() == 6 ? MacAddress.of(a.bytes()) : null;
        case IFLA_MASTER -> master = OptionalInt.of(a.u32());
        case IFLA_LINK -> parent = OptionalInt.of(a.u32());
        case IFLA_LINK_NETNSID -> netnsId = OptionalInt.of(a.u32());
        case IFLA_NUM_VF -> numVfs = OptionalInt.of(a.u32());
        case IFLA_PARENT_DEV_NAME -> parentDev = a.string();
        case IFLA_PARENT_DEV_BUS_NAME -> parentBus = a.string();
        case IFLA_PROP_LIST -> {
          AttributeReader p = a.nested();
          while (p.next()) {
            if (p.type() == IFLA_ALT_IFNAME) {
              alt.add(p.string());
            }
          }
        }
        case IFLA_LINKINFO -> {
          AttributeReader li = a.nested();
          AttributeReader data = null;
          while (li.next()) {
            if (li.type() == IFLA_INFO_KIND) {
              kind = li.string();
            } else if (li.type() == IFLA_INFO_DATA) {
              data = li.nested();
            }
          }
          if ("bond".equals(kind) && data != null) {
            bond = bondData(data);
          }
        }
        case IFLA_VFINFO_LIST -> vfs = vfList(a.nested());
        case IFLA_STATS64 -> stats = linkStats(a);
        default -> {
          // not needed: skipped
        }
      }
    }
    if (name == null) {
      throw new MalformedMessageException(
          "RTM_NEWLINK for ifindex " + ifi.index() + " has no IFLA_IFNAME");
    }
    InterfaceName ifName;
    try {
      ifName = InterfaceName.of(name);
    } catch (InvalidValueException e) {
      throw new MalformedMessageException("IFLA_IFNAME of ifindex " + ifi.index() + ": " + e);
    }
    return new Link(
        ifi.index(),
        ifName,
        alt,
        Optional.ofNullable(kind),
        ifi.flags(),
        OperState.fromKernel(operState),
        carrier,
        mtu,
        Optional.ofNullable(mac),
        Optional.ofNullable(perm),
        master,
        parent,
        netnsId,
        numVfs,
        vfs,
        Optional.ofNullable(parentDev),
        Optional.ofNullable(parentBus),
        Optional.ofNullable(bond),
        Optional.ofNullable(stats),
        ifi.type(),
        addressLength);
  }

  /** IFLA_STATS64 (struct rtnl_link_stats64): its first eight counters. */
  static LinkStats linkStats(AttributeReader a) throws MalformedMessageException {
    int n = LinkStats.MIN_SIZE;
    return new LinkStats(
        a.structU64(0, n),
        a.structU64(8, n),
        a.structU64(16, n),
        a.structU64(24, n),
        a.structU64(32, n),
        a.structU64(40, n),
        a.structU64(48, n),
        a.structU64(56, n));
  }

  /** A bond's IFLA_INFO_DATA (IFLA_BOND_*): the options {@link BondOptions} holds. */
  static BondOptions bondData(AttributeReader a) throws MalformedMessageException {
    BondMode mode = BondMode.BALANCE_RR;
    OptionalInt miimon = OptionalInt.empty();
    OptionalInt updelay = OptionalInt.empty();
    OptionalInt downdelay = OptionalInt.empty();
    OptionalInt arpInterval = OptionalInt.empty();
    List<Inet4Address> targets = new ArrayList<>();
    Optional<ArpValidate> arpValidate = Optional.empty();
    OptionalInt primary = OptionalInt.empty();
    Optional<FailOverMac> fom = Optional.empty();
    Optional<XmitHashPolicy> xmit = Optional.empty();
    OptionalInt resendIgmp = OptionalInt.empty();
    Optional<Boolean> allSlavesActive = Optional.empty();
    OptionalInt minLinks = OptionalInt.empty();
    Optional<LacpRate> lacpRate = Optional.empty();
    Optional<AdSelect> adSelect = Optional.empty();
    Optional<Boolean> tlbDynamicLb = Optional.empty();
    while (a.next()) {
      switch (a.type()) {
        case IFLA_BOND_MODE -> mode = known(BondMode.fromKernel(a.u8()), "IFLA_BOND_MODE", a);
        case IFLA_BOND_MIIMON -> miimon = OptionalInt.of(a.u32());
        case IFLA_BOND_UPDELAY -> updelay = OptionalInt.of(a.u32());
        case IFLA_BOND_DOWNDELAY -> downdelay = OptionalInt.of(a.u32());
        case IFLA_BOND_ARP_INTERVAL -> arpInterval = OptionalInt.of(a.u32());
        case IFLA_BOND_ARP_IP_TARGET -> {
          AttributeReader t = a.nested();
          while (t.next()) {
            if (t.address() instanceof Inet4Address v4) {
              targets.add(v4);
            }
          }
        }
        case IFLA_BOND_ARP_VALIDATE -> arpValidate = ArpValidate.fromKernel(a.u32());
        case IFLA_BOND_PRIMARY -> primary = OptionalInt.of(a.u32());
        case IFLA_BOND_FAIL_OVER_MAC -> fom = FailOverMac.fromKernel(a.u8());
        case IFLA_BOND_XMIT_HASH_POLICY -> xmit = XmitHashPolicy.fromKernel(a.u8());
        case IFLA_BOND_RESEND_IGMP -> resendIgmp = OptionalInt.of(a.u32());
        case IFLA_BOND_ALL_SLAVES_ACTIVE -> allSlavesActive = Optional.of(a.u8() != 0);
        case IFLA_BOND_MIN_LINKS -> minLinks = OptionalInt.of(a.u32());
        case IFLA_BOND_AD_LACP_RATE -> lacpRate = LacpRate.fromKernel(a.u8());
        case IFLA_BOND_AD_SELECT -> adSelect = AdSelect.fromKernel(a.u8());
        case IFLA_BOND_TLB_DYNAMIC_LB -> tlbDynamicLb = Optional.of(a.u8() != 0);
        default -> {
          // an option BondOptions does not hold: skipped
        }
      }
    }
    try {
      return new BondOptions(
          mode,
          miimon,
          fom,
          xmit,
          lacpRate,
          adSelect,
          arpInterval,
          targets,
          arpValidate,
          primary,
          updelay,
          downdelay,
          minLinks,
          allSlavesActive,
          tlbDynamicLb,
          resendIgmp);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("bond IFLA_INFO_DATA: " + e.getMessage());
    }
  }

  private static <E> E known(Optional<E> v, String attr, AttributeReader a)
      throws MalformedMessageException {
    if (v.isEmpty()) {
      throw new MalformedMessageException(attr + ": unknown value " + a.u8());
    }
    return v.get();
  }

  static List<VfInfo> vfList(AttributeReader list) throws MalformedMessageException {
    List<VfInfo> out = new ArrayList<>();
    while (list.next()) {
      if (list.type() == IFLA_VF_INFO) {
        out.add(vf(list.nested()));
      }
    }
    return out;
  }

  private static VfInfo vf(AttributeReader a) throws MalformedMessageException {
    int vf = -1;
    MacAddress mac = MacAddress.ZERO;
    List<VfVlan> vlans = new ArrayList<>();
    VfVlan legacyVlan = null;
    int min = 0;
    int max = 0;
    Optional<Boolean> spoof = Optional.empty();
    Optional<Boolean> trust = Optional.empty();
    VfLinkState state = VfLinkState.AUTO;
    Optional<VfStats> stats = Optional.empty();
    while (a.next()) {
      switch (a.type()) {
        case IFLA_VF_MAC -> {
          IflaVf.Mac m = IflaVf.Mac.read(a);
          vf = m.vf();
          mac = m.mac();
        }
        case IFLA_VF_VLAN -> {
          IflaVf.Vlan v = IflaVf.Vlan.read(a);
          legacyVlan = vlanOf(v.vlan(), v.qos(), VlanProtocol.IEEE_802_1Q.ethertype());
        }
        case IFLA_VF_VLAN_LIST -> {
          AttributeReader l = a.nested();
          while (l.next()) {
            if (l.type() == IFLA_VF_VLAN_INFO) {
              IflaVf.VlanInfo v = IflaVf.VlanInfo.read(l);
              vlans.add(vlanOf(v.vlan(), v.qos(), v.proto()));
            }
          }
        }
        case IFLA_VF_TX_RATE -> {
          if (max == 0) {
            max = IflaVf.TxRate.read(a).rate();
          }
        }
        case IFLA_VF_RATE -> {
          IflaVf.Rate r = IflaVf.Rate.read(a);
          min = r.minTxRate();
          max = r.maxTxRate();
        }
        case IFLA_VF_SPOOFCHK -> spoof = setting(IflaVf.Setting.read(a).setting());
        case IFLA_VF_TRUST -> trust = setting(IflaVf.Setting.read(a).setting());
        case IFLA_VF_LINK_STATE -> {
          int s = IflaVf.Setting.read(a).setting();
          if (s < 0 || s > 2) {
            throw new MalformedMessageException("IFLA_VF_LINK_STATE " + s + " is not 0, 1 or 2");
          }
          state = VfLinkState.fromKernel(s);
        }
        case IFLA_VF_STATS -> stats = Optional.of(vfStats(a.nested()));
        default -> {
          // IFLA_VF_RSS_QUERY_EN, IFLA_VF_BROADCAST, GUIDs: not needed
        }
      }
    }
    if (vf < 0) {
      throw new MalformedMessageException("IFLA_VF_INFO without IFLA_VF_MAC (no VF number)");
    }
    if (vlans.isEmpty() && legacyVlan != null) {
      vlans.add(legacyVlan);
    }
    return new VfInfo(VfIndex.of(vf), mac, vlans, min, max, spoof, trust, state, stats);
  }

  private static VfVlan vlanOf(int vlan, int qos, int proto) throws MalformedMessageException {
    try {
      return new VfVlan(vlan, qos, VlanProtocol.fromEthertype(proto));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("VF VLAN: " + e.getMessage());
    }
  }

  /** -1 (0xffffffff) means the driver does not report the setting. */
  private static Optional<Boolean> setting(int v) {
    return v == -1 ? Optional.empty() : Optional.of(v != 0);
  }

  private static VfStats vfStats(AttributeReader s) throws MalformedMessageException {
    long[] v = new long[9];
    while (s.next()) {
      int t = s.type();
      if (t >= 0 && t < v.length && t != 6 /* IFLA_VF_STATS_PAD */) {
        v[t] = s.u64();
      }
    }
    return new VfStats(
        v[IFLA_VF_STATS_RX_PACKETS],
        v[IFLA_VF_STATS_TX_PACKETS],
        v[IFLA_VF_STATS_RX_BYTES],
        v[IFLA_VF_STATS_TX_BYTES],
        v[IFLA_VF_STATS_BROADCAST],
        v[IFLA_VF_STATS_MULTICAST],
        v[IFLA_VF_STATS_RX_DROPPED],
        v[IFLA_VF_STATS_TX_DROPPED]);
  }

  /** RTM_NEWADDR to an {@link Address}; other message types yield null. */
  public static Address address(MessageReader m) throws MalformedMessageException {
    if (m.type() != Rtnetlink.RTM_NEWADDR) {
      return null;
    }
    IfAddrMsg ifa = IfAddrMsg.read(m.buffer(), m.payloadOffset(), m.end());
    InetAddress local = null;
    InetAddress address = null;
    String label = null;
    int flags = ifa.flags();
    AttributeReader a =
        new AttributeReader(m.buffer(), m.payloadOffset() + IfAddrMsg.SIZE, m.end());
    while (a.next()) {
      switch (a.type()) {
        case IfAddr.IFA_LOCAL -> local = a.address();
        case IfAddr.IFA_ADDRESS -> address = a.address();
        case IfAddr.IFA_LABEL -> label = a.string();
        case IfAddr.IFA_FLAGS -> flags = a.u32();
        default -> {
          // cacheinfo, broadcast...: skipped
        }
      }
    }
    InetAddress chosen = local != null ? local : address;
    if (chosen == null) {
      throw new MalformedMessageException(
          "RTM_NEWADDR on ifindex " + ifa.index() + " has neither IFA_LOCAL nor IFA_ADDRESS");
    }
    try {
      return new Address(
          ifa.index(),
          new IpPrefix(chosen, ifa.prefixLen()),
          ifa.scope(),
          flags,
          Optional.ofNullable(label));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("RTM_NEWADDR: " + e.getMessage());
    }
  }

  /** RTA_MULTIPATH: a sequence of struct rtnexthop (see {@link Route.Nexthop}), each 4-aligned. */
  static List<Route.Nexthop> nexthops(AttributeReader a) throws MalformedMessageException {
    ByteBuffer b = a.buffer();
    int at = a.offset();
    int end = a.offset() + a.length();
    List<Route.Nexthop> out = new ArrayList<>();
    while (end - at >= RTNH_SIZE) {
      int len = Short.toUnsignedInt(b.getShort(at));
      if (len < RTNH_SIZE || len > end - at) {
        throw new MalformedMessageException(
            "RTA_MULTIPATH: rtnh_len "
                + len
                + " at offset "
                + at
                + " must be between 8 and the "
                + (end - at)
                + " bytes left");
      }
      int ifindex = b.getInt(at + 4);
      InetAddress gw = null;
      AttributeReader n = new AttributeReader(b, at + RTNH_SIZE, at + len);
      while (n.next()) {
        if (n.type() == Rtnetlink.RTA_GATEWAY) {
          gw = n.address();
        }
      }
      out.add(new Route.Nexthop(ifindex, Optional.ofNullable(gw)));
      at += Netlink.align(len);
    }
    return out;
  }

  /** sizeof(struct rtnexthop). */
  private static final int RTNH_SIZE = 8;

  /** RTM_NEWROUTE to a {@link Route}; other message types yield null. */
  public static Route route(MessageReader m) throws MalformedMessageException {
    if (m.type() != Rtnetlink.RTM_NEWROUTE) {
      return null;
    }
    return decodeRoute(m);
  }

  /**
   * A route notification (RTM_NEWROUTE or RTM_DELROUTE, same layout) to the {@link Route} it adds
   * or deletes; other message types yield null. The caller tells the two apart by {@code m.type()}.
   */
  public static Route routeNotification(MessageReader m) throws MalformedMessageException {
    if (m.type() != Rtnetlink.RTM_NEWROUTE && m.type() != Rtnetlink.RTM_DELROUTE) {
      return null;
    }
    return decodeRoute(m);
  }

  private static Route decodeRoute(MessageReader m) throws MalformedMessageException {
    RtMsg rt = RtMsg.read(m.buffer(), m.payloadOffset(), m.end());
    InetAddress dst = null;
    InetAddress gw = null;
    InetAddress src = null;
    OptionalInt oif = OptionalInt.empty();
    OptionalInt prio = OptionalInt.empty();
    List<Route.Nexthop> nexthops = List.of();
    int table = rt.table();
    AttributeReader a = new AttributeReader(m.buffer(), m.payloadOffset() + RtMsg.SIZE, m.end());
    while (a.next()) {
      switch (a.type()) {
        case Rtnetlink.RTA_DST -> dst = a.address();
        case Rtnetlink.RTA_GATEWAY -> gw = a.address();
        case Rtnetlink.RTA_PREFSRC -> src = a.address();
        case Rtnetlink.RTA_OIF -> oif = OptionalInt.of(a.u32());
        case Rtnetlink.RTA_PRIORITY -> prio = OptionalInt.of(a.u32());
        case Rtnetlink.RTA_TABLE -> table = a.u32();
        case Rtnetlink.RTA_MULTIPATH -> nexthops = nexthops(a);
        default -> {
          // metrics, cacheinfo, pref...: skipped
        }
      }
    }
    if (dst == null) {
      dst = anyAddress(rt.family());
      if (dst == null) {
        return null; // not IPv4/IPv6 (e.g. MPLS): not ours
      }
    }
    try {
      return new Route(
          new IpPrefix(dst, rt.dstLen()),
          Optional.ofNullable(gw),
          oif,
          table,
          rt.protocol(),
          rt.scope(),
          rt.type(),
          prio,
          Optional.ofNullable(src),
          nexthops);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("RTM_NEWROUTE: " + e.getMessage());
    }
  }

  private static InetAddress anyAddress(int family) {
    try {
      return switch (family) {
        case RtnlRequests.AF_INET -> InetAddress.getByAddress(new byte[4]);
        case RtnlRequests.AF_INET6 -> InetAddress.getByAddress(new byte[16]);
        default -> null;
      };
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
