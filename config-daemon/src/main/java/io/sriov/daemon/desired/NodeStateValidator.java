package io.sriov.daemon.desired;

import io.sriov.core.device.Device;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciDevice;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.selector.IndexRange;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.VfGroupSpec;
import io.sriov.netlink.devlink.EswitchMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Checks a {@code SriovNetworkNodeState} spec against the devices discovered on this node before
 * anything is touched, and turns it into a {@link DesiredNode}. Every problem is collected (not
 * just the first); each message starts with the interface ({@code spec.interfaces[0] 0000:3b:00.0})
 * and names the field and its value, e.g. {@code spec.interfaces[0] 0000:3b:00.0: numVfs 300: above
 * sriov_totalvfs 256}.
 */
public final class NodeStateValidator {
  /** ETH_MIN_MTU (include/linux/if_ether.h). */
  public static final int MIN_MTU = 68;

  /** IP_MAX_MTU: the largest MTU any netdev can take. */
  public static final int MAX_MTU = 65535;

  /** Validates {@code spec} against {@code discovered}; throws with every problem found. */
  public DesiredNode validate(NodeStateSpec spec, DeviceDiscovery.Result discovered) {
    List<String> errors = new ArrayList<>();
    checkUnsupported(spec, errors);
    Map<PciAddress, Device> byAddress = new HashMap<>();
    for (Device d : discovered.devices()) {
      if (d instanceof PciDevice p) {
        byAddress.put(p.address(), d);
      }
    }
    Map<PciAddress, Integer> seen = new HashMap<>();
    List<DesiredPf> pfs = new ArrayList<>();
    for (int i = 0; i < spec.interfaces().size(); i++) {
      InterfaceSpec s = spec.interfaces().get(i);
      String where = "spec.interfaces[" + i + "]";
      PciAddress a;
      try {
        a = PciAddress.parse(s.pciAddress());
      } catch (InvalidValueException e) {
        errors.add(where + ": pciAddress: " + e.getMessage());
        continue;
      }
      where = where + " " + a;
      Integer first = seen.putIfAbsent(a, i);
      if (first != null) {
        errors.add(
            where + ": pciAddress " + a + ": listed twice (also spec.interfaces[" + first + "])");
        continue;
      }
      Optional<PciNetDevice> pf = physicalFunction(where, a, byAddress.get(a), errors);
      if (pf.isEmpty()) {
        continue;
      }
      int before = errors.size();
      DesiredPf desired = interfaceOf(where, s, a, pf.get(), errors);
      if (errors.size() == before) {
        pfs.add(desired);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidNodeStateException(errors);
    }
    return new DesiredNode(pfs);
  }

  private static void checkUnsupported(NodeStateSpec spec, List<String> errors) {
    Object ovs = spec.bridges().get("ovs");
    if (ovs instanceof List<?> l && !l.isEmpty()) {
      errors.add("spec.bridges.ovs: managed OVS bridges are not supported by this daemon");
    }
    Object rdma = spec.system().get("rdmaMode");
    if (rdma != null && !"".equals(rdma)) {
      errors.add(
          "spec.system.rdmaMode "
              + InvalidValueException.quote(String.valueOf(rdma))
              + ": not supported by this daemon (the RDMA netns mode is a host setting)");
    }
  }

  private static Optional<PciNetDevice> physicalFunction(
      String where, PciAddress a, Device d, List<String> errors) {
    String prefix = where + ": pciAddress " + a + ": ";
    if (d == null) {
      errors.add(prefix + "no such PCI device on this node");
      return Optional.empty();
    }
    if (!(d instanceof PciNetDevice net)) {
      errors.add(
          prefix
              + String.format(
                  "not a network device (class 0x%06x)", ((PciDevice) d).pci().classCode()));
      return Optional.empty();
    }
    if (net.role() instanceof SriovRole.VirtualFunction vf) {
      errors.add(prefix + "a VF (virtfn" + vf.index() + " of " + vf.pf() + "), not a PF");
      return Optional.empty();
    }
    if (!(net.role() instanceof SriovRole.PhysicalFunction)) {
      errors.add(prefix + "not SR-IOV capable (no sriov_totalvfs)");
      return Optional.empty();
    }
    return Optional.of(net);
  }

  private static DesiredPf interfaceOf(
      String where, InterfaceSpec s, PciAddress a, PciNetDevice pf, List<String> errors) {
    SriovRole.PhysicalFunction role = (SriovRole.PhysicalFunction) pf.role();
    if (s.numVfs() < 0) {
      errors.add(where + ": numVfs " + s.numVfs() + ": must not be negative");
    } else if (s.numVfs() > role.totalVfs()) {
      errors.add(where + ": numVfs " + s.numVfs() + ": above sriov_totalvfs " + role.totalVfs());
    }
    OptionalInt mtu = mtu(where + ": mtu ", s.mtu(), errors);
    Optional<LinkType> linkType = linkType(where, s.linkType(), pf, errors);
    // upstream's CRD enum: exactly legacy or switchdev
    Optional<EswitchMode> eswitch =
        switch (s.eSwitchMode()) {
          case "" -> Optional.empty();
          case "legacy" -> Optional.of(EswitchMode.LEGACY);
          case "switchdev" -> Optional.of(EswitchMode.SWITCHDEV);
          default -> {
            errors.add(
                where
                    + ": eSwitchMode "
                    + InvalidValueException.quote(s.eSwitchMode())
                    + ": expected legacy or switchdev");
            yield Optional.empty();
          }
        };
    if (eswitch.orElse(EswitchMode.LEGACY) == EswitchMode.SWITCHDEV
        && linkType.orElse(pf.linkType()).equals(LinkType.INFINIBAND)) {
      errors.add(where + ": eSwitchMode switchdev: needs an Ethernet PF (link type infiniband)");
    }
    // The PF MTU after apply: raised only, so the larger of the asked and the current one; an
    // externally managed PF keeps its own.
    int pfMtu = pf.netdev().map(NetInterface::mtu).orElse(0);
    int effectivePfMtu = s.externallyManaged() ? pfMtu : Math.max(pfMtu, mtu.orElse(0));
    List<DesiredVfGroup> groups = new ArrayList<>();
    List<String> groupWhere = new ArrayList<>();
    for (int g = 0; g < s.vfGroups().size(); g++) {
      String gw = where + ": vfGroups[" + g + "]";
      Optional<DesiredVfGroup> group =
          group(gw, s.vfGroups().get(g), Math.max(s.numVfs(), 0), effectivePfMtu, errors);
      if (group.isPresent()) {
        for (int o = 0; o < groups.size(); o++) {
          IndexRange mine = group.get().range();
          IndexRange other = groups.get(o).range();
          if (mine.first() <= other.last() && other.first() <= mine.last()) {
            errors.add(
                gw
                    + ".vfRange "
                    + mine
                    + ": overlaps "
                    + groupWhere.get(o).substring(where.length() + 2)
                    + ".vfRange "
                    + other);
          }
        }
        groups.add(group.get());
        groupWhere.add(gw);
      }
    }
    return new DesiredPf(a, s.numVfs(), mtu, linkType, eswitch, s.externallyManaged(), groups, s);
  }

  private static OptionalInt mtu(String prefix, int mtu, List<String> errors) {
    if (mtu == 0) {
      return OptionalInt.empty();
    }
    if (mtu < MIN_MTU || mtu > MAX_MTU) {
      errors.add(prefix + mtu + ": outside " + MIN_MTU + "-" + MAX_MTU);
      return OptionalInt.empty();
    }
    return OptionalInt.of(mtu);
  }

  private static Optional<LinkType> linkType(
      String where, String text, PciNetDevice pf, List<String> errors) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    LinkType wanted =
        switch (text) {
          case "eth", "ETH" -> LinkType.ETHER;
          case "ib", "IB" -> LinkType.INFINIBAND;
          default -> null;
        };
    if (wanted == null) {
      errors.add(
          where
              + ": linkType "
              + InvalidValueException.quote(text)
              + ": expected eth, ETH, ib or IB");
      return Optional.empty();
    }
    if (!wanted.equals(pf.linkType())) {
      errors.add(
          where
              + ": linkType "
              + text
              + ": the PF's link type is "
              + pf.linkType()
              + " (this daemon does not change link types)");
      return Optional.empty();
    }
    return Optional.of(wanted);
  }

  private static Optional<DesiredVfGroup> group(
      String gw, VfGroupSpec g, int numVfs, int pfMtu, List<String> errors) {
    int before = errors.size();
    ResourceName resource = null;
    if (g.resourceName().isEmpty()) {
      errors.add(gw + ".resourceName: required");
    } else {
      try {
        resource = ResourceName.of(g.resourceName());
      } catch (InvalidValueException e) {
        errors.add(gw + ".resourceName: " + e.getMessage());
      }
    }
    Optional<VfDeviceType> type = VfDeviceType.fromWireName(g.deviceType());
    if (type.isEmpty()) {
      errors.add(
          gw
              + ".deviceType "
              + InvalidValueException.quote(g.deviceType())
              + ": expected netdevice or vfio-pci");
    }
    IndexRange range = range(gw, g.vfRange(), numVfs, errors);
    OptionalInt mtu = mtu(gw + ".mtu ", g.mtu(), errors);
    if (mtu.isPresent() && type.orElse(null) == VfDeviceType.NETDEVICE && mtu.getAsInt() > pfMtu) {
      errors.add(
          gw
              + ".mtu "
              + mtu.getAsInt()
              + ": above the PF's MTU "
              + pfMtu
              + " (a VF cannot exceed its PF; raise the interface's mtu)");
    }
    if (type.orElse(null) == VfDeviceType.VFIO_PCI && g.isRdma()) {
      errors.add(gw + ": deviceType vfio-pci with isRdma true: RDMA needs the kernel VF driver");
    }
    if (!g.vdpaType().isEmpty()) {
      if (!g.vdpaType().equals("virtio") && !g.vdpaType().equals("vhost")) {
        errors.add(
            gw
                + ".vdpaType "
                + InvalidValueException.quote(g.vdpaType())
                + ": expected virtio or vhost");
      } else if (type.orElse(null) == VfDeviceType.VFIO_PCI) {
        errors.add(
            gw
                + ": deviceType vfio-pci with vdpaType "
                + g.vdpaType()
                + ": vDPA needs the kernel VF driver");
      } else {
        errors.add(
            gw
                + ".vdpaType "
                + g.vdpaType()
                + ": vDPA devices are not created by this daemon (not supported)");
      }
    }
    if (errors.size() != before) {
      return Optional.empty();
    }
    return Optional.of(
        new DesiredVfGroup(resource, type.get(), range, g.policyName(), mtu, g.isRdma()));
  }

  private static IndexRange range(String gw, String text, int numVfs, List<String> errors) {
    if (text.isEmpty()) {
      errors.add(gw + ".vfRange: required (first-last, e.g. 0-" + Math.max(numVfs - 1, 0) + ")");
      return null;
    }
    List<IndexRange> parsed;
    try {
      parsed = IndexRange.parseList(text);
    } catch (InvalidValueException e) {
      errors.add(gw + ".vfRange " + InvalidValueException.quote(text) + ": " + e.getMessage());
      return null;
    }
    if (parsed.size() != 1) {
      errors.add(
          gw + ".vfRange " + InvalidValueException.quote(text) + ": expected one range first-last");
      return null;
    }
    IndexRange r = parsed.get(0);
    if (numVfs == 0) {
      errors.add(gw + ".vfRange " + r + ": the PF gets no VFs (numVfs 0)");
      return null;
    }
    if (r.last() >= numVfs) {
      errors.add(
          gw
              + ".vfRange "
              + r
              + ": outside the PF's VFs 0-"
              + (numVfs - 1)
              + " (numVfs "
              + numVfs
              + ")");
      return null;
    }
    return r;
  }
}
