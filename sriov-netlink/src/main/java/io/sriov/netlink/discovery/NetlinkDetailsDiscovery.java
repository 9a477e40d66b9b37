package io.sriov.netlink.discovery;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.NetdevSnapshot;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.netlink.devlink.DevlinkInfo;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkOperations;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeviceDiscovery} that adds what only netlink knows to another discovery's devices:
 *
 * <ul>
 *   <li>netdev altnames ({@code ip link property add dev X altname Y}; not in sysfs), from ONE
 *       RTM_GETLINK dump per walk, matched by interface name in the namespace the link client is
 *       bound to (the host's). Set on {@link PciNetDevice#netdev()} and {@link
 *       AuxNetDevice#netdev()} when the dump has the name; other devices are left as they are. The
 *       dump is taken before the delegate's walk and handed to it ({@link
 *       DeviceDiscovery#withNetdevs}): the netdevs' MTU, type, address, oper state and carrier come
 *       from it rather than from each netdev's sysfs files (sriov-sysfs's discovery reads only the
 *       names then; a netdev the dump lacks is read from its files).
 *   <li>the Intel DDP profile ({@code devlink dev info pci/<address>}, running {@code fw.app.name})
 *       into {@link PciNetDevice#ddpProfile()}, for functions whose driver loads DDP packages
 *       ({@code ice}, {@code i40e}) and for the VFs of such a PF (a VF runs its PF's package). Only
 *       those instances are asked: an {@code info} request reaches the device's firmware, and on an
 *       mlx5 node every VF has its own devlink instance. One DEVLINK_CMD_GET dump per walk says
 *       which instances exist; each is asked at most once per walk.
 *   <li>RDMA enabled in devlink ({@code devlink dev param show pci/<a> name enable_rdma}, or {@code
 *       auxiliary/<sf>}): an mlx5 function or SF that shows no RDMA device in sysfs but has the
 *       param true is RDMA-capable ({@link RdmaInfo#ENABLED_ELSEWHERE}): in exclusive mode its RDMA
 *       device is in a pod's network namespace, and upstream keeps it in its {@code isRdma} pool
 *       the same way. Asked only for instances the dump lists.
 * </ul>
 *
 * <p>Never fails the walk. No devlink family, no instance or EOPNOTSUPP mean "no profile"; any
 * other netlink error is logged at warn once per walk and leaves the value as the delegate had it.
 * If the link dump fails, the delegate walks as it would alone and altnames stay as it reported
 * them (warn log). A walk is one {@link #discoverAll()} or {@link #discoverPf} call; nothing is
 * kept between walks.
 */
public final class NetlinkDetailsDiscovery implements DeviceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(NetlinkDetailsDiscovery.class);

  /** Drivers of Intel NICs that run a DDP package (ice: E800 series, i40e: 700 series). */
  private static final Set<DriverName> DDP_DRIVERS =
      Set.of(DriverName.of("ice"), DriverName.of("i40e"));

  private final DeviceDiscovery delegate;
  private final LinkOperations links;
  private final Optional<DevlinkOperations> devlink;

  /**
   * @param links rtnetlink of the namespace the delegate's netdev names belong to (the host's)
   * @param devlink empty when the kernel has no devlink family: no DDP profiles then
   */
  public NetlinkDetailsDiscovery(
      DeviceDiscovery delegate, LinkOperations links, Optional<DevlinkOperations> devlink) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.links = Objects.requireNonNull(links, "links");
    this.devlink = Objects.requireNonNull(devlink, "devlink");
  }

  @Override
  public Result discoverAll() {
    Optional<List<Link>> links = links("all");
    return enrich(delegate(links).discoverAll(), "all", links);
  }

  @Override
  public Result discoverPf(PciAddress pf) {
    Optional<List<Link>> links = links(pf.toString());
    return enrich(delegate(links).discoverPf(pf), pf.toString(), links);
  }

  @Override
  public Result discoverPf(PciAddress pf, List<PciAddress> vfs) {
    Optional<List<Link>> links = links(pf.toString());
    return enrich(delegate(links).discoverPf(pf, vfs), pf.toString(), links);
  }

  /**
   * The delegate's walk with the netdevs' facts from the walk's dump ({@link
   * DeviceDiscovery#withNetdevs}): taken before the walk, so a netdev that appears after it is not
   * in it and is read from its files; the delegate as it is when the dump failed.
   */
  private DeviceDiscovery delegate(Optional<List<Link>> links) {
    return links.isEmpty() ? delegate : delegate.withNetdevs(netdevs(links.get()));
  }

  /**
   * The links of one dump as the discovery's snapshot of netdevs ({@link Link#netInterface()}, on
   * the device IFLA_PARENT_DEV_NAME names); a link whose address sysfs's reader would refuse is
   * left out (its files decide).
   */
  public static NetdevSnapshot netdevs(List<Link> links) {
    List<NetdevSnapshot.Entry> entries = new ArrayList<>(links.size());
    for (Link l : links) {
      Optional<NetInterface> netdev = l.netInterface();
      if (netdev.isPresent()) {
        entries.add(new NetdevSnapshot.Entry(netdev.get(), l.parentDeviceName()));
      }
    }
    return new NetdevSnapshot(entries);
  }

  private Result enrich(Result found, String walk, Optional<List<Link>> links) {
    if (found.devices().isEmpty()) {
      return found;
    }
    Optional<Map<String, List<String>>> altNames = links.map(NetlinkDetailsDiscovery::altNames);
    Map<PciAddress, Optional<DriverName>> drivers = new HashMap<>();
    for (Device d : found.devices()) {
      if (d instanceof PciNetDevice n) {
        drivers.put(n.address(), n.driver());
      }
    }
    Walk ddp = new Walk(walk, drivers);
    List<Device> out = new ArrayList<>(found.devices().size());
    for (Device d : found.devices()) {
      out.add(
          switch (d) {
            case PciNetDevice n -> {
              PciNetDevice withNames = n.withNetdev(named(n.netdev(), altNames));
              Optional<String> profile = ddp.profile(n);
              PciNetDevice withProfile =
                  profile.isPresent() ? withNames.withDdpProfile(profile) : withNames;
              yield ddp.rdmaEnabled(n.rdma(), n.driver(), DevlinkHandle.pci(n.address()))
                  ? withProfile.withRdma(RdmaInfo.ENABLED_ELSEWHERE)
                  : withProfile;
            }
            case AuxNetDevice a -> {
              AuxNetDevice withNames = a.withNetdev(named(a.netdev(), altNames));
              yield ddp.rdmaEnabled(
                      a.rdma(), a.parent().driver(), new DevlinkHandle("auxiliary", a.id()))
                  ? withNames.withRdma(RdmaInfo.ENABLED_ELSEWHERE)
                  : withNames;
            }
            default -> d;
          });
    }
    ddp.logFailures();
    return new Result(out, found.skipped());
  }

  /** Every link, from one RTM_GETLINK dump; empty when the dump failed (logged). */
  private Optional<List<Link>> links(String walk) {
    try {
      return Optional.of(links.links());
    } catch (NetlinkException | RuntimeException e) {
      log.warn(
          "cannot list links, netdev altnames not reported walk={} error=\"{}\"",
          walk,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** name -> altnames of every link of the dump. */
  private static Map<String, List<String>> altNames(List<Link> links) {
    Map<String, List<String>> byName = HashMap.newHashMap(links.size());
    for (Link l : links) {
      byName.put(l.name().value(), l.altNames());
    }
    return byName;
  }

  private static Optional<NetInterface> named(
      Optional<NetInterface> netdev, Optional<Map<String, List<String>>> altNames) {
    if (netdev.isEmpty() || altNames.isEmpty()) {
      return netdev;
    }
    List<String> names = altNames.get().get(netdev.get().name().value());
    return names == null ? netdev : Optional.of(netdev.get().withAltNames(names));
  }

  /** Devlink state of one walk: which instances exist, the profiles asked so far, failures. */
  private final class Walk {
    private final String walk;
    private final Map<PciAddress, Optional<DriverName>> drivers;
    private Set<DevlinkHandle> instances;
    private final Map<DevlinkHandle, Optional<String>> profiles = new HashMap<>();
    private final List<String> failures = new ArrayList<>();

    Walk(String walk, Map<PciAddress, Optional<DriverName>> drivers) {
      this.walk = walk;
      this.drivers = drivers;
    }

    Optional<String> profile(PciNetDevice d) {
      if (runsDdp(d.address())) {
        DevlinkHandle own = DevlinkHandle.pci(d.address());
        if (instances().contains(own)) {
          return profileOf(own);
        }
      }
      if (d.role() instanceof SriovRole.VirtualFunction vf && runsDdp(vf.pf())) {
        DevlinkHandle pf = DevlinkHandle.pci(vf.pf());
        if (instances().contains(pf)) {
          return profileOf(pf);
        }
      }
      return Optional.empty();
    }

    /**
     * Upstream's exclusive-mode fallback: a function of a driver with the {@code enable_rdma}
     * devlink param (mlx5) that shows no RDMA device in sysfs is RDMA-capable when the param is
     * true ({@code devlink dev param show pci/<a> name enable_rdma}): its RDMA device was moved
     * into a pod's network namespace. Asked only for devlink instances the walk's dump lists.
     */
    boolean rdmaEnabled(RdmaInfo rdma, Optional<DriverName> driver, DevlinkHandle h) {
      if (rdma.capable() || !driver.map(d -> d.toString().equals("mlx5_core")).orElse(false)) {
        return false;
      }
      if (!instances().contains(h)) {
        return false;
      }
      try {
        return devlink.orElseThrow().boolParam(h, "enable_rdma").orElse(false);
      } catch (NetlinkException | RuntimeException e) {
        if (!notSupported(e)) {
          failures.add(e.getMessage());
        }
        return false;
      }
    }

    /** The function (found in this walk) is driven by a driver that loads DDP packages. */
    private boolean runsDdp(PciAddress a) {
      return drivers.getOrDefault(a, Optional.empty()).map(DDP_DRIVERS::contains).orElse(false);
    }

    /** DEVLINK_CMD_GET dump, once per walk; empty without devlink or when the dump failed. */
    private Set<DevlinkHandle> instances() {
      if (instances == null) {
        instances = Set.of();
        if (devlink.isPresent()) {
          try {
            instances = new HashSet<>(devlink.get().devices());
          } catch (NetlinkException | RuntimeException e) {
            if (!notSupported(e)) {
              failures.add("devlink dev show: " + e.getMessage());
            }
          }
        }
      }
      return instances;
    }

    private Optional<String> profileOf(DevlinkHandle h) {
      return profiles.computeIfAbsent(h, this::ask);
    }

    private Optional<String> ask(DevlinkHandle h) {
      try {
        return devlink.orElseThrow().info(h).flatMap(DevlinkInfo::ddpProfile);
      } catch (NetlinkException | RuntimeException e) {
        if (!notSupported(e)) {
          failures.add(e.getMessage());
        }
        return Optional.empty();
      }
    }

    void logFailures() {
      if (!failures.isEmpty()) {
        log.warn(
            "devlink failed, ddpProfile left as discovered walk={} failures={} first=\"{}\"",
            walk,
            failures.size(),
            failures.get(0));
      }
    }
  }

  private static boolean notSupported(Exception e) {
    return e instanceof ErrnoException x && x.errno().equals(Errno.EOPNOTSUPP);
  }
}
