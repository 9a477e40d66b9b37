package io.sriov.daemon.observe;

import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfInfo;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the node's SR-IOV PFs: sysfs discovery for PCI facts and netdevs, rtnetlink for the PF's
 * admin state and its VFs' admin MACs and VLANs ({@code ip link show <pf>}), devlink for the
 * eswitch mode ({@code devlink dev eswitch show pci/<pf>}). Read only. A netlink failure does not
 * stop the walk: it lands in {@link ObservedPf#problems()}.
 */
public final class NodeObserver {
  private final DeviceDiscovery discovery;
  private final RtnlOperations rtnl;
  private final DevlinkOperations devlink;

  public NodeObserver(DeviceDiscovery discovery, RtnlOperations rtnl, DevlinkOperations devlink) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.devlink = Objects.requireNonNull(devlink, "devlink");
  }

  /** Every SR-IOV capable network PF of the node. */
  public ObservedNode observe() {
    DeviceDiscovery.Result result = discovery.discoverAll();
    List<ObservedPf> pfs = new ArrayList<>();
    for (Device d : result.devices()) {
      if (d instanceof PciNetDevice pf && pf.role() instanceof SriovRole.PhysicalFunction) {
        pfs.add(pf(pf, result.devices()));
      }
    }
    pfs.sort(Comparator.comparing(ObservedPf::address));
    return new ObservedNode(pfs, result);
  }

  /** One PF and its VFs, without walking the bus; empty when it is not there (or not a PF). */
  public Optional<ObservedPf> observePf(PciAddress a) {
    return observePf(a, Optional.empty());
  }

  /**
   * {@code known}'s VFs read again after its VF count changed: the PF and its VFs from sysfs and
   * the PF's VF list from rtnetlink, but not the PF's link and eswitch mode, which creating or
   * removing VFs does not change (taken from {@code known}); empty when the PF is not there.
   */
  public Optional<ObservedPf> observeVfs(ObservedPf known) {
    return observePf(known.address(), Optional.of(known), Optional.empty());
  }

  /**
   * {@link #observeVfs(ObservedPf)} right after a VF count change whose new VFs the caller verified
   * ({@code vfs} by index: their {@code virtfnN} and {@code physfn} links, as {@code
   * SriovProvisioner.setNumVfs} answers them): the discovery does not read those links again
   * ({@link DeviceDiscovery#discoverPf(PciAddress, List)}).
   */
  public Optional<ObservedPf> observeVfs(ObservedPf known, List<PciAddress> vfs) {
    return observePf(known.address(), Optional.of(known), Optional.of(vfs));
  }

  private Optional<ObservedPf> observePf(PciAddress a, Optional<ObservedPf> known) {
    return observePf(a, known, Optional.empty());
  }

  private Optional<ObservedPf> observePf(
      PciAddress a, Optional<ObservedPf> known, Optional<List<PciAddress>> verifiedVfs) {
    DeviceDiscovery.Result result =
        verifiedVfs.isPresent()
            ? discovery.discoverPf(a, verifiedVfs.get())
            : discovery.discoverPf(a);
    for (Device d : result.devices()) {
      if (d instanceof PciNetDevice pf
          && pf.address().equals(a)
          && pf.role() instanceof SriovRole.PhysicalFunction) {
        return Optional.of(pf(pf, result.devices(), known));
      }
    }
    return Optional.empty();
  }

  private ObservedPf pf(PciNetDevice pf, List<Device> all) {
    return pf(pf, all, Optional.empty());
  }

  private ObservedPf pf(PciNetDevice pf, List<Device> all, Optional<ObservedPf> known) {
    List<String> problems = new ArrayList<>();
    Optional<Link> link = Optional.empty();
    List<VfInfo> pfView = List.of();
    Optional<InterfaceName> name = pf.netdev().map(n -> n.name());
    Optional<Link> knownLink =
        known.flatMap(ObservedPf::link).filter(l -> name.map(l.name()::equals).orElse(false));
    if (knownLink.isPresent()) {
      link = knownLink;
      try {
        pfView = rtnl.vfs(link.get().index(), false);
      } catch (NetlinkException e) {
        problems.add(e.getMessage());
      }
    } else if (name.isPresent()) {
      try {
        link = rtnl.link(name.get().value());
        if (link.isEmpty()) {
          problems.add("rtnetlink has no link " + name.get());
        } else {
          pfView = rtnl.vfs(link.get().index(), false);
        }
      } catch (NetlinkException e) {
        problems.add(e.getMessage());
      }
    }
    Optional<EswitchMode> eswitch = known.flatMap(ObservedPf::eswitchMode);
    if (known.isEmpty()) {
      try {
        eswitch = Optional.of(devlink.eswitchMode(DevlinkHandle.pci(pf.address())));
      } catch (ErrnoException e) {
        if (!e.errno().equals(Errno.EOPNOTSUPP) && !e.errno().equals(Errno.ENODEV)) {
          problems.add(e.getMessage());
        }
      } catch (NetlinkException e) {
        problems.add(e.getMessage());
      }
    }
    Map<Integer, VfInfo> byIndex = new HashMap<>();
    pfView.forEach(v -> byIndex.put(v.vf().value(), v));
    List<ObservedVf> vfs = new ArrayList<>();
    for (Device d : all) {
      if (d instanceof PciNetDevice vf
          && vf.role() instanceof SriovRole.VirtualFunction role
          && role.pf().equals(pf.address())) {
        int index = role.index().value();
        vfs.add(new ObservedVf(index, vf, Optional.ofNullable(byIndex.get(index))));
      }
    }
    vfs.sort(Comparator.comparingInt(ObservedVf::index));
    return new ObservedPf(pf, link, eswitch, vfs, problems);
  }
}
