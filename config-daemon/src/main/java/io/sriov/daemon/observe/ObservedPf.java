package io.sriov.daemon.observe;

import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.netlink.route.Link;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SR-IOV PF as the node shows it now: sysfs discovery, its rtnetlink link and its devlink
 * eswitch mode.
 *
 * @param link the PF's netdev as rtnetlink reports it; empty without a netdev
 * @param eswitchMode empty when the PF's driver has no devlink eswitch (e.g. igb)
 * @param vfs the PF's VFs by index
 * @param problems what could not be read (the planner fails the PF when it needs it)
 */
public record ObservedPf(
    PciNetDevice device,
    Optional<Link> link,
    Optional<EswitchMode> eswitchMode,
    List<ObservedVf> vfs,
    List<String> problems) {

  public ObservedPf {
    Objects.requireNonNull(device, "device");
    if (!(device.role() instanceof SriovRole.PhysicalFunction)) {
      throw new IllegalArgumentException("not a PF: " + device.address());
    }
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(eswitchMode, "eswitchMode");
    vfs = List.copyOf(vfs);
    problems = List.copyOf(problems);
  }

  public PciAddress address() {
    return device.address();
  }

  public Optional<InterfaceName> name() {
    return device.netdev().map(NetInterface::name);
  }

  public int numVfs() {
    return ((SriovRole.PhysicalFunction) device.role()).numVfs();
  }

  public int totalVfs() {
    return ((SriovRole.PhysicalFunction) device.role()).totalVfs();
  }

  /** The PF netdev's MTU; empty without a netdev. */
  public Optional<Integer> mtu() {
    return device.netdev().map(NetInterface::mtu);
  }

  public Optional<ObservedVf> vf(int index) {
    // VFs are kept by index and usually all there (0..n-1): VF i is then at position i.
    if (index >= 0 && index < vfs.size() && vfs.get(index).index() == index) {
      return Optional.of(vfs.get(index));
    }
    return vfs.stream().filter(v -> v.index() == index).findFirst();
  }

  /** The PF for messages: {@code 0000:3b:00.0 (ens1f0)}. */
  public String label() {
    return address() + name().map(n -> " (" + n + ")").orElse("");
  }

  /** This PF with {@code vfs} instead of its VFs as read (the state an apply left, verified). */
  public ObservedPf withVfs(List<ObservedVf> vfs) {
    return new ObservedPf(device, link, eswitchMode, vfs, problems);
  }
}
