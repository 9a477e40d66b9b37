package io.sriov.daemon.app;

import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.config.DeviceType;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.NetDeviceSelector;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.apply.PfResult;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.DesiredPf;
import io.sriov.daemon.desired.DesiredVfGroup;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.VfStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The device plugin's pools from an applied desired state, as the operator renders the plugin's
 * config from the policies: one pool per vfGroup {@code resourceName} (groups of several PFs with
 * the same name share it), {@code deviceType} netDevice, selecting exactly the group's VFs by PCI
 * address (VF indexes in the group's {@code vfRange}, addresses as the status reports them after
 * the apply), {@code isRdma} from the group. Only PFs whose apply succeeded contribute; a pool left
 * with no VF is not rendered (an empty {@code pciAddresses} selector would match every device).
 */
final class DesiredPools {
  private DesiredPools() {}

  /** The pools and the resource names left out because none of their PFs applied. */
  record Pools(List<ResourceConfig> pools, List<String> withoutDevices) {
    Pools {
      pools = List.copyOf(pools);
      withoutDevices = List.copyOf(withoutDevices);
    }
  }

  static Pools render(
      DesiredNode desired, ApplyReport report, NodeStateStatus status, ResourcePrefix prefix) {
    return render(
        desired, pf -> report.pf(pf).map(PfResult::succeeded).orElse(false), status, prefix);
  }

  /**
   * The pools of {@code desired} with the VFs of the PFs {@code applied} accepts (after an apply:
   * those whose apply succeeded; after an observation: those the node already has as desired).
   */
  static Pools render(
      DesiredNode desired,
      Predicate<PciAddress> applied,
      NodeStateStatus status,
      ResourcePrefix prefix) {
    Map<ResourceName, List<PciAddress>> addresses = new LinkedHashMap<>();
    Map<ResourceName, Boolean> rdma = new LinkedHashMap<>();
    for (DesiredPf pf : desired.pfs()) {
      for (DesiredVfGroup g : pf.groups()) {
        addresses.computeIfAbsent(g.resourceName(), n -> new ArrayList<>());
        rdma.merge(g.resourceName(), g.isRdma(), Boolean::logicalOr);
      }
      if (!applied.test(pf.pciAddress())) {
        continue;
      }
      for (VfStatus vf : vfsOf(status, pf.pciAddress())) {
        pf.groupOf(vf.vfID())
            .ifPresent(g -> addresses.get(g.resourceName()).add(PciAddress.parse(vf.pciAddress())));
      }
    }
    List<ResourceConfig> pools = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    addresses.forEach(
        (name, list) -> {
          if (list.isEmpty()) {
            empty.add(name.value());
            return;
          }
          NetDeviceSelector selector =
              NetDeviceSelector.builder().pciAddresses(list).isRdma(rdma.get(name)).build();
          pools.add(
              new ResourceConfig(
                  name,
                  prefix,
                  DeviceType.NET_DEVICE,
                  false,
                  List.of(selector),
                  AdditionalInfo.NONE,
                  AllocationPolicy.DEFAULT));
        });
    return new Pools(pools, empty);
  }

  private static List<VfStatus> vfsOf(NodeStateStatus status, PciAddress pf) {
    for (InterfaceStatus i : status.interfaces()) {
      if (PciAddress.parse(i.pciAddress()).equals(pf)) {
        return i.vfs();
      }
    }
    return List.of();
  }
}
