package io.sriov.simulator.netlink;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.codec.IfLink;
import io.sriov.netlink.route.AdSelect;
import io.sriov.netlink.route.ArpValidate;
import io.sriov.netlink.route.BondMode;
import io.sriov.netlink.route.BondOptions;
import io.sriov.netlink.route.FailOverMac;
import io.sriov.netlink.route.LacpRate;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.XmitHashPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One simulated netdev: its mutable state and how the kernel would describe it. */
final class SimLink {
  /** What registered the netdev; decides which operations it supports. */
  enum Type {
    LOOPBACK(null),
    HARDWARE(null),
    VETH("veth"),
    MACVLAN("macvlan"),
    BRIDGE("bridge"),
    BOND("bond");

    final String kind;

    Type(String kind) {
      this.kind = kind;
    }
  }

  /** ETH_MAX_MTU: the max MTU of software links. */
  static final int SOFTWARE_MAX_MTU = 65535;

  static final int IFF_MASTER = 0x400;
  static final int IFF_SLAVE = 0x800;

  final long id;
  final Type type;
  final HardwareNetdev hardware; // HARDWARE only
  final int minMtu;
  final int maxMtu;
  SimNamespace ns;
  int index;
  InterfaceName name;
  final List<String> altNames = new ArrayList<>();
  boolean up;
  int mtu;
  MacAddress mac;
  boolean cable = true; // HARDWARE: carrier from the wire
  SimLink master;
  LinkStats stats = LinkStats.ZERO; // the netdev's own counters (IFLA_STATS64)
  SimLink peer; // VETH: the other end; MACVLAN: the lower device
  BondOptions bond; // BOND only
  MacAddress macBeforeEnslaving; // bond slave whose MAC the bond replaced
  int mtuBeforeEnslaving; // bond slave: its MTU before the bond set its own
  SimVfTable vfs; // a PF's VFs (HARDWARE with totalVfs > 0)

  SimLink(long id, Type type, HardwareNetdev hardware, int mtu, int maxMtu, MacAddress mac) {
    this.id = id;
    this.type = type;
    this.hardware = hardware;
    this.minMtu = type == Type.LOOPBACK ? 0 : DriverProfile.MIN_MTU;
    this.maxMtu = maxMtu;
    this.mtu = mtu;
    this.mac = mac;
  }

  boolean isMasterType() {
    return type == Type.BRIDGE || type == Type.BOND;
  }

  /** Whether the bond gives its MAC to its slaves (fail_over_mac none, or not active-backup). */
  boolean bondSetsSlaveMac() {
    BondMode mode = bond.mode();
    if (mode == BondMode.BALANCE_TLB || mode == BondMode.BALANCE_ALB) {
      return false;
    }
    return mode != BondMode.ACTIVE_BACKUP
        || bond.failOverMac().map(f -> f == FailOverMac.NONE).orElse(true);
  }

  /** The netdevs enslaved to this bond or bridge, in creation order. */
  List<SimLink> ports(List<SimLink> all) {
    List<SimLink> out = new ArrayList<>();
    for (SimLink l : all) {
      if (l.master == this) {
        out.add(l);
      }
    }
    return out;
  }

  /** IFF_LOWER_UP: what the driver (or the stacked device's logic) reports. */
  boolean carrier(SimulatedNetwork net) {
    if (!up) {
      return false;
    }
    return switch (type) {
      case LOOPBACK -> true;
      case HARDWARE -> hardwareCarrier(net);
      case VETH -> peer != null && peer.up;
      case MACVLAN -> peer != null && peer.carrier(net);
      case BRIDGE -> {
        List<SimLink> ports = ports(net.allLinks());
        yield ports.isEmpty() || ports.stream().anyMatch(p -> p.carrier(net));
      }
      case BOND -> {
        long active = ports(net.allLinks()).stream().filter(p -> p.carrier(net)).count();
        yield active >= Math.max(1, bond.minLinks().orElse(0));
      }
    };
  }

  private boolean hardwareCarrier(SimulatedNetwork net) {
    if (hardware.vfOf().isEmpty()) {
      return cable;
    }
    HardwareNetdev.VfOf of = hardware.vfOf().get();
    Optional<SimLink> pf = net.byDevice(of.pf());
    if (pf.isEmpty() || pf.get().vfs == null || of.index() >= pf.get().vfs.count()) {
      return false;
    }
    VfLinkState state = pf.get().vfs.vf(of.index()).linkState;
    return switch (state) {
      case ENABLE -> true;
      case DISABLE -> false;
      case AUTO -> pf.get().carrier(net);
    };
  }

  OperState operState(SimulatedNetwork net) {
    if (!up) {
      return OperState.DOWN;
    }
    if (type == Type.LOOPBACK) {
      return OperState.UNKNOWN;
    }
    if (type == Type.BRIDGE && ports(net.allLinks()).isEmpty()) {
      return OperState.UNKNOWN;
    }
    if (carrier(net)) {
      return OperState.UP;
    }
    return type == Type.VETH || type == Type.MACVLAN ? OperState.LOWERLAYERDOWN : OperState.DOWN;
  }

  /** The link as RTM_NEWLINK describes it in its namespace, without VF info. */
  Link toLink(SimulatedNetwork net, boolean vfInfo) {
    boolean carrier = carrier(net);
    int flags =
        type == Type.LOOPBACK ? IfLink.IFF_LOOPBACK : IfLink.IFF_BROADCAST | IfLink.IFF_MULTICAST;
    if (up) {
      flags |= IfLink.IFF_UP;
    }
    if (carrier) {
      flags |= IfLink.IFF_RUNNING | IfLink.IFF_LOWER_UP;
    }
    if (type == Type.BOND) {
      flags |= IFF_MASTER;
    }
    if (master != null && master.type == Type.BOND) {
      flags |= IFF_SLAVE;
    }
    OptionalInt parent = OptionalInt.empty();
    OptionalInt netnsId = OptionalInt.empty();
    if (peer != null) {
      parent = OptionalInt.of(peer.index);
      if (peer.ns != ns) {
        netnsId = OptionalInt.of(ns.idOf(peer.ns));
      }
    }
    boolean hw = type == Type.HARDWARE;
    OptionalInt numVfs = OptionalInt.empty();
    if (vfInfo && hw) {
      numVfs = OptionalInt.of(vfs == null ? 0 : vfs.count());
    }
    return new Link(
        index,
        name,
        altNames,
        Optional.ofNullable(type.kind),
        flags,
        operState(net),
        carrier,
        mtu,
        Optional.of(mac),
        hw ? Optional.of(hardware.mac()) : Optional.empty(),
        master == null ? OptionalInt.empty() : OptionalInt.of(master.index),
        parent,
        netnsId,
        numVfs,
        List.of(),
        hw ? Optional.of(hardware.device().toString()) : Optional.empty(),
        hw ? Optional.of("pci") : Optional.empty(),
        type == Type.BOND ? Optional.of(reportedBondOptions()) : Optional.empty(),
        Optional.of(stats),
        arphrdType(),
        Link.ETH_ALEN);
  }

  /** ifi_type: the hardware's, ARPHRD_LOOPBACK for lo, ARPHRD_ETHER for software links. */
  private int arphrdType() {
    return switch (type) {
      case HARDWARE -> hardware.type();
      case LOOPBACK -> 772;
      default -> Link.ARPHRD_ETHER;
    };
  }

  /**
   * The bond's options as the kernel reports them: what was asked for, the rest at the bonding
   * driver's defaults (miimon 100 unless ARP monitoring was asked for, resend_igmp 1,
   * tlb_dynamic_lb 1, every other option 0 or its first word); primary only when set.
   */
  private BondOptions reportedBondOptions() {
    BondOptions b = bond;
    boolean arp = b.arpInterval().orElse(0) > 0;
    return new BondOptions(
        b.mode(),
        OptionalInt.of(b.miimon().orElse(arp ? 0 : 100)),
        Optional.of(b.failOverMac().orElse(FailOverMac.NONE)),
        Optional.of(b.xmitHashPolicy().orElse(XmitHashPolicy.LAYER2)),
        Optional.of(b.lacpRate().orElse(LacpRate.SLOW)),
        Optional.of(b.adSelect().orElse(AdSelect.STABLE)),
        OptionalInt.of(b.arpInterval().orElse(0)),
        b.arpIpTargets(),
        Optional.of(b.arpValidate().orElse(ArpValidate.NONE)),
        b.primary(),
        OptionalInt.of(b.updelay().orElse(0)),
        OptionalInt.of(b.downdelay().orElse(0)),
        OptionalInt.of(b.minLinks().orElse(0)),
        Optional.of(b.allSlavesActive().orElse(false)),
        Optional.of(b.tlbDynamicLb().orElse(true)),
        OptionalInt.of(b.resendIgmp().orElse(1)));
  }

  @Override
  public String toString() {
    return name + "(" + index + ")";
  }
}
