package io.sriov.netlink.route;

import static io.sriov.netlink.codec.IfLink.*;
import static io.sriov.netlink.codec.Netlink.NLA_F_NESTED;
import static io.sriov.netlink.codec.Netlink.NLM_F_CREATE;
import static io.sriov.netlink.codec.Netlink.NLM_F_EXCL;
import static io.sriov.netlink.codec.Netlink.NLM_F_REQUEST;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.codec.IfAddr;
import io.sriov.netlink.codec.IfAddrMsg;
import io.sriov.netlink.codec.IfInfoMsg;
import io.sriov.netlink.codec.IflaVf;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.RtMsg;
import io.sriov.netlink.codec.Rtnetlink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds rtnetlink requests into a {@link MessageWriter}. Pure: no socket, so the exact request
 * bytes can be pinned by tests (VF, bond) on machines that lack the hardware. The shell equivalent
 * of each is in its javadoc.
 */
public final class RtnlRequests {
  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;

  private RtnlRequests() {}

  private static void ifinfo(
      MessageWriter w, int type, int flags, int index, int ifFlags, int chg) {
    w.begin(type, NLM_F_REQUEST | flags);
    new IfInfoMsg(AF_UNSPEC, 0, index, ifFlags, chg).write(w);
  }

  /** {@code ip link show} by index: RTM_GETLINK with IFLA_EXT_MASK. */
  public static void getLink(MessageWriter w, int index, int extMask) {
    ifinfo(w, Rtnetlink.RTM_GETLINK, 0, index, 0, 0);
    w.attrU32(IFLA_EXT_MASK, extMask);
  }

  /**
   * {@code ip link show NAME}: RTM_GETLINK with IFLA_IFNAME, or IFLA_ALT_IFNAME for a name that
   * cannot be a primary name (longer than 15 bytes): the kernel looks it up, no dump.
   */
  public static void getLinkByName(MessageWriter w, String name, int extMask) {
    ifinfo(w, Rtnetlink.RTM_GETLINK, 0, 0, 0, 0);
    w.attrU32(IFLA_EXT_MASK, extMask);
    w.attrString(InterfaceName.isValid(name) ? IFLA_IFNAME : IFLA_ALT_IFNAME, name);
  }

  /** {@code ip link show}: the dump request (the socket adds NLM_F_DUMP). */
  public static void dumpLinks(MessageWriter w, int extMask) {
    ifinfo(w, Rtnetlink.RTM_GETLINK, 0, 0, 0, 0);
    w.attrU32(IFLA_EXT_MASK, extMask);
  }

  /** {@code ip link set dev X up|down}. */
  public static void setUp(MessageWriter w, int index, boolean up) {
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, index, up ? IFF_UP : 0, IFF_UP);
  }

  /** {@code ip link set dev X mtu N}. */
  public static void setMtu(MessageWriter w, int index, int mtu) {
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, index, 0, 0);
    w.attrU32(IFLA_MTU, mtu);
  }

  /** {@code ip link set dev X address MAC}. */
  public static void setMac(MessageWriter w, int index, MacAddress mac) {
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, index, 0, 0);
    w.attrBytes(IFLA_ADDRESS, mac.bytes());
  }

  /** {@code ip link set dev X name NEW} (the link must be down). */
  public static void rename(MessageWriter w, int index, InterfaceName name) {
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, index, 0, 0);
    w.attrString(IFLA_IFNAME, name.value());
  }

  /** {@code ip link set dev X master M}, or {@code nomaster} when {@code masterIndex} is 0. */
  public static void setMaster(MessageWriter w, int index, int masterIndex) {
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, index, 0, 0);
    w.attrU32(IFLA_MASTER, masterIndex);
  }

  /** {@code ip link set dev X netns FD}. */
  public static void moveToNetns(MessageWriter w, int index, int netnsFd) {
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, index, 0, 0);
    w.attrU32(IFLA_NET_NS_FD, netnsFd);
  }

  /**
   * {@code ip link set dev X netns FD name NEW}: one RTM_SETLINK; the kernel moves the link first
   * (under NEW when X's own name is taken in the target) and then renames it there.
   */
  public static void moveToNetns(MessageWriter w, int index, int netnsFd, InterfaceName name) {
    moveToNetns(w, index, netnsFd);
    w.attrString(IFLA_IFNAME, name.value());
  }

  /** {@code ip link property add|del dev X altname NAME}. */
  public static void altName(MessageWriter w, int index, String altName, boolean add) {
    if (altName.isEmpty() || altName.length() > 127 || altName.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "alternative name \"" + altName + "\": must be 1-127 characters without '/'");
    }
    ifinfo(w, add ? Rtnetlink.RTM_NEWLINKPROP : Rtnetlink.RTM_DELLINKPROP, 0, index, 0, 0);
    int list = w.beginNested(IFLA_PROP_LIST | NLA_F_NESTED);
    w.attrString(IFLA_ALT_IFNAME, altName);
    w.endNested(list);
  }

  /** {@code ip link del dev X}. */
  public static void deleteLink(MessageWriter w, int index) {
    ifinfo(w, Rtnetlink.RTM_DELLINK, 0, index, 0, 0);
  }

  /** {@code ip link add NAME type KIND ...}: RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL. */
  public static void newLink(MessageWriter w, LinkSpec spec) {
    ifinfo(w, Rtnetlink.RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0);
    w.attrString(IFLA_IFNAME, spec.name().value());
    if (spec instanceof LinkSpec.Macvlan m) {
      w.attrU32(IFLA_LINK, m.parentIndex());
    }
    int info = w.beginNested(IFLA_LINKINFO);
    w.attrStringNoNul(IFLA_INFO_KIND, spec.kind()); // as iproute2 sends it
    switch (spec) {
      case LinkSpec.Veth v -> {
        int data = w.beginNested(IFLA_INFO_DATA);
        int peer = w.beginNested(VETH_INFO_PEER);
        new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0).write(w);
        w.attrString(IFLA_IFNAME, v.peer().value());
        if (v.peerNetnsFd().isPresent()) {
          w.attrU32(IFLA_NET_NS_FD, v.peerNetnsFd().getAsInt());
        }
        w.endNested(peer);
        w.endNested(data);
      }
      case LinkSpec.Macvlan m -> {
        int data = w.beginNested(IFLA_INFO_DATA);
        w.attrU32(IFLA_MACVLAN_MODE, m.mode().kernelValue());
        w.endNested(data);
      }
      case LinkSpec.Bridge b -> {
        // no IFLA_INFO_DATA: kernel defaults
      }
      case LinkSpec.Bond b -> bondData(w, b.options());
    }
    w.endNested(info);
  }

  private static void bondData(MessageWriter w, BondOptions o) {
    int data = w.beginNested(IFLA_INFO_DATA);
    w.attrU8(IFLA_BOND_MODE, o.mode().kernelValue());
    o.miimon().ifPresent(v -> w.attrU32(IFLA_BOND_MIIMON, v));
    o.updelay().ifPresent(v -> w.attrU32(IFLA_BOND_UPDELAY, v));
    o.downdelay().ifPresent(v -> w.attrU32(IFLA_BOND_DOWNDELAY, v));
    o.arpInterval().ifPresent(v -> w.attrU32(IFLA_BOND_ARP_INTERVAL, v));
    if (!o.arpIpTargets().isEmpty()) {
      int targets = w.beginNested(IFLA_BOND_ARP_IP_TARGET);
      int i = 0;
      for (Inet4Address a : o.arpIpTargets()) {
        w.attrBytes(i++, a.getAddress()); // __be32, index as type (as the kernel dumps it)
      }
      w.endNested(targets);
    }
    o.arpValidate().ifPresent(v -> w.attrU32(IFLA_BOND_ARP_VALIDATE, v.kernelValue()));
    o.primary().ifPresent(v -> w.attrU32(IFLA_BOND_PRIMARY, v));
    o.failOverMac().ifPresent(v -> w.attrU8(IFLA_BOND_FAIL_OVER_MAC, v.kernelValue()));
    o.xmitHashPolicy().ifPresent(v -> w.attrU8(IFLA_BOND_XMIT_HASH_POLICY, v.kernelValue()));
    o.resendIgmp().ifPresent(v -> w.attrU32(IFLA_BOND_RESEND_IGMP, v));
    o.allSlavesActive().ifPresent(v -> w.attrU8(IFLA_BOND_ALL_SLAVES_ACTIVE, v ? 1 : 0));
    o.minLinks().ifPresent(v -> w.attrU32(IFLA_BOND_MIN_LINKS, v));
    o.lacpRate().ifPresent(v -> w.attrU8(IFLA_BOND_AD_LACP_RATE, v.kernelValue()));
    o.adSelect().ifPresent(v -> w.attrU8(IFLA_BOND_AD_SELECT, v.kernelValue()));
    o.tlbDynamicLb().ifPresent(v -> w.attrU8(IFLA_BOND_TLB_DYNAMIC_LB, v ? 1 : 0));
    w.endNested(data);
  }

  /**
   * The most VFs {@link #setVfs} puts in one message; callers split longer lists ({@link
   * #vfBatches}). 64 VFs with every setting are about 10 KiB, well inside a netlink message.
   */
  public static final int MAX_VFS_PER_REQUEST = 64;

  /**
   * {@code ip link set PF vf N mac M vlan V qos Q proto P min_tx_rate A max_tx_rate B spoofchk
   * on|off trust on|off state auto|enable|disable}: one RTM_SETLINK with IFLA_VFINFO_LIST. The
   * IFLA_VFINFO_LIST bytes equal what iproute2 6.1 sends for the same arguments (attribute order
   * mac, vlan, spoofchk, trust, state, rate; no NLA_F_NESTED), pinned by a test against a capture.
   */
  public static void setVf(MessageWriter w, int pfIndex, VfConfig c) {
    setVfs(w, pfIndex, List.of(c));
  }

  /**
   * Several VFs' settings in one RTM_SETLINK: one IFLA_VF_INFO per VF, in the given order, each as
   * {@link #setVf} writes it, all in one IFLA_VFINFO_LIST. The kernel's {@code do_setlink}
   * (net/core/rtnetlink.c) walks the list with {@code nla_for_each_nested} and calls {@code
   * do_setvfinfo} for each IFLA_VF_INFO, stopping at the first error: the VFs before the failing
   * one stay set, and the errno is the failing VF's. One message costs one rtnl_lock hold and one
   * RTM_NEWLINK notification of the PF instead of one per VF.
   *
   * @throws IllegalArgumentException for an empty list, more than {@link #MAX_VFS_PER_REQUEST} VFs,
   *     a VF named twice or a VF with nothing to set
   */
  public static void setVfs(MessageWriter w, int pfIndex, List<VfConfig> configs) {
    checkVfs(configs);
    if (configs.size() > MAX_VFS_PER_REQUEST) {
      throw new IllegalArgumentException(
          configs.size() + " VFs in one request: at most " + MAX_VFS_PER_REQUEST);
    }
    ifinfo(w, Rtnetlink.RTM_SETLINK, 0, pfIndex, 0, 0);
    int list = w.beginNested(IFLA_VFINFO_LIST);
    for (VfConfig c : configs) {
      vfInfo(w, c);
    }
    w.endNested(list);
  }

  /**
   * {@code configs} in messages of at most {@link #MAX_VFS_PER_REQUEST} VFs, in order.
   *
   * @throws IllegalArgumentException for an empty list, a VF named twice or a VF with nothing to
   *     set
   */
  public static List<List<VfConfig>> vfBatches(List<VfConfig> configs) {
    checkVfs(configs);
    List<List<VfConfig>> batches = new ArrayList<>();
    for (int from = 0; from < configs.size(); from += MAX_VFS_PER_REQUEST) {
      batches.add(
          List.copyOf(configs.subList(from, Math.min(configs.size(), from + MAX_VFS_PER_REQUEST))));
    }
    return batches;
  }

  /**
   * How a failed {@link #setVfs} request is named in its error: {@code RTM_SETLINK PF ifindex 7 vf
   * 3} for one VF (as {@link #setVf}), {@code RTM_SETLINK PF ifindex 7 vfs 0-31,40} for several.
   */
  public static String setVfsOperation(int pfIndex, List<VfConfig> configs) {
    return "RTM_SETLINK PF ifindex "
        + pfIndex
        + (configs.size() == 1 ? " vf " : " vfs ")
        + vfNumbers(configs);
  }

  /** The VFs' numbers in their order, consecutive runs as ranges: {@code 0-31,40}. */
  public static String vfNumbers(List<VfConfig> configs) {
    StringBuilder vfs = new StringBuilder();
    int i = 0;
    while (i < configs.size()) {
      int first = configs.get(i).vf().value();
      int last = first;
      while (i + 1 < configs.size() && configs.get(i + 1).vf().value() == last + 1) {
        last = configs.get(++i).vf().value();
      }
      i++;
      vfs.append(vfs.isEmpty() ? "" : ",").append(first);
      if (last != first) {
        vfs.append('-').append(last);
      }
    }
    return vfs.toString();
  }

  private static void checkVfs(List<VfConfig> configs) {
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("no VF to set");
    }
    Set<Integer> seen = new HashSet<>();
    for (VfConfig c : configs) {
      if (c.isEmpty()) {
        throw new IllegalArgumentException("VF " + c.vf() + ": nothing to set");
      }
      if (!seen.add(c.vf().value())) {
        throw new IllegalArgumentException("VF " + c.vf() + " named twice in one request");
      }
    }
  }

  /** One VF's IFLA_VF_INFO, attributes in iproute2's order. */
  private static void vfInfo(MessageWriter w, VfConfig c) {
    int vf = c.vf().value();
    int info = w.beginNested(IFLA_VF_INFO);
    c.mac().ifPresent(m -> new IflaVf.Mac(vf, m).write(w));
    c.vlan()
        .ifPresent(
            v -> new IflaVf.VlanInfo(vf, v.vlan(), v.qos(), v.proto().ethertype()).writeAsList(w));
    c.spoofCheck().ifPresent(on -> new IflaVf.Setting(IFLA_VF_SPOOFCHK, vf, on ? 1 : 0).write(w));
    c.trust().ifPresent(on -> new IflaVf.Setting(IFLA_VF_TRUST, vf, on ? 1 : 0).write(w));
    c.linkState()
        .ifPresent(s -> new IflaVf.Setting(IFLA_VF_LINK_STATE, vf, s.kernelValue()).write(w));
    c.rate().ifPresent(r -> new IflaVf.Rate(vf, r.minMbps(), r.maxMbps()).write(w));
    w.endNested(info);
  }

  /**
   * {@code ip addr add|del PREFIX dev X}: IFA_LOCAL and IFA_ADDRESS, IFA_BROADCAST for IPv4
   * prefixes up to /30, IFA_F_NODAD when {@code noDad} (IPv6).
   */
  public static void address(MessageWriter w, boolean add, int index, IpPrefix p, boolean noDad) {
    int flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
    w.begin(add ? Rtnetlink.RTM_NEWADDR : Rtnetlink.RTM_DELADDR, NLM_F_REQUEST | flags);
    int ifaFlags = noDad ? IfAddr.IFA_F_NODAD : 0;
    new IfAddrMsg(p.isIpv4() ? AF_INET : AF_INET6, p.length(), ifaFlags, 0, index).write(w);
    w.attrAddress(IfAddr.IFA_LOCAL, p.address());
    w.attrAddress(IfAddr.IFA_ADDRESS, p.address());
    if (add && p.isIpv4() && p.length() <= 30) {
      w.attrAddress(IfAddr.IFA_BROADCAST, broadcast(p));
    }
    if (ifaFlags != 0) {
      w.attrU32(IfAddr.IFA_FLAGS, ifaFlags);
    }
  }

  static InetAddress broadcast(IpPrefix p) {
    byte[] b = p.address().getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, p.length() - i * 8));
      b[i] |= (byte) (0xff >>> keep);
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code ip addr show [dev X]}: dump; with NETLINK_GET_STRICT_CHK the kernel filters. */
  public static void dumpAddresses(MessageWriter w, int family, int index) {
    w.begin(Rtnetlink.RTM_GETADDR, NLM_F_REQUEST);
    new IfAddrMsg(family, 0, 0, 0, index).write(w);
  }

  /** {@code ip route add|del ...}. */
  public static void route(MessageWriter w, boolean add, RouteSpec r) {
    int flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
    w.begin(add ? Rtnetlink.RTM_NEWROUTE : Rtnetlink.RTM_DELROUTE, NLM_F_REQUEST | flags);
    IpPrefix dst = r.destination();
    new RtMsg(
            dst.isIpv4() ? AF_INET : AF_INET6,
            dst.length(),
            0,
            0,
            r.table() < 256 ? r.table() : Rtnetlink.RT_TABLE_UNSPEC,
            add ? Rtnetlink.RTPROT_BOOT : Rtnetlink.RTPROT_UNSPEC,
            add ? r.scope() : Rtnetlink.RT_SCOPE_NOWHERE,
            add ? Rtnetlink.RTN_UNICAST : Rtnetlink.RTN_UNSPEC,
            0)
        .write(w);
    w.attrU32(Rtnetlink.RTA_TABLE, r.table());
    if (dst.length() > 0) {
      w.attrAddress(Rtnetlink.RTA_DST, dst.address());
    }
    r.gateway().ifPresent(g -> w.attrAddress(Rtnetlink.RTA_GATEWAY, g));
    r.outputIndex().ifPresent(i -> w.attrU32(Rtnetlink.RTA_OIF, i));
    r.priority().ifPresent(p -> w.attrU32(Rtnetlink.RTA_PRIORITY, p));
    r.preferredSource().ifPresent(s -> w.attrAddress(Rtnetlink.RTA_PREFSRC, s));
  }

  /** {@code ip route show table T}: dump filtered by family and table (strict checking). */
  public static void dumpRoutes(MessageWriter w, int family, int table) {
    w.begin(Rtnetlink.RTM_GETROUTE, NLM_F_REQUEST);
    new RtMsg(family, 0, 0, 0, table < 256 ? table : 0, 0, 0, 0, 0).write(w);
    if (table != 0) {
      w.attrU32(Rtnetlink.RTA_TABLE, table);
    }
  }
}
