package io.sriov.daemon.status;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.value.DriverName;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.DesiredPf;
import io.sriov.daemon.observe.ObservedNode;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.observe.ObservedVf;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.SyncStatus;
import io.sriov.daemon.state.VfStatus;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfVlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds the {@code SriovNetworkNodeState} status from what the node shows (after an apply), the
 * way upstream's {@code DiscoverSriovDevices} fills it: every SR-IOV network PF with its VFs,
 * upstream's spellings ({@code linkType} {@code ETH}/{@code IB}, {@code linkSpeed} {@code "25000
 * Mb/s"}, {@code linkAdminState} {@code up}/{@code down}, {@code eSwitchMode} {@code legacy} when
 * the driver has no devlink eswitch). {@code netFilter}, {@code assigned}, {@code representorName}
 * and {@code guid} stay empty: they belong to virtual platforms, switchdev representors and
 * InfiniBand GUID pools, which this daemon does not manage.
 */
public final class StatusReporter {

  /** The status after {@code report} (Succeeded, or Failed with the failures as lastSyncError). */
  public NodeStateStatus afterApply(
      ObservedNode observed, DesiredNode desired, ApplyReport report) {
    return report.succeeded()
        ? status(observed, desired, SyncStatus.SUCCEEDED, "")
        : status(observed, desired, SyncStatus.FAILED, report.errorSummary());
  }

  /** The status with an explicit sync result (InProgress while applying, Failed when invalid). */
  public NodeStateStatus status(
      ObservedNode observed, DesiredNode desired, SyncStatus sync, String lastSyncError) {
    List<InterfaceStatus> interfaces = new ArrayList<>();
    for (ObservedPf pf : observed.pfs()) {
      boolean external = desired.pf(pf.address()).map(DesiredPf::externallyManaged).orElse(false);
      interfaces.add(pfStatus(pf, external));
    }
    return NodeStateStatus.of(interfaces, sync, lastSyncError);
  }

  private static InterfaceStatus pfStatus(ObservedPf pf, boolean externallyManaged) {
    PciNetDevice d = pf.device();
    Optional<NetInterface> n = d.netdev();
    List<String> altNames =
        pf.link()
            .map(Link::altNames)
            .filter(l -> !l.isEmpty())
            .orElse(n.map(NetInterface::altNames).orElse(List.of()));
    List<VfStatus> vfs = new ArrayList<>();
    for (ObservedVf vf : pf.vfs()) {
      vfs.add(vfStatus(vf));
    }
    return new InterfaceStatus(
        n.map(x -> x.name().value()).orElse(""),
        n.flatMap(NetInterface::mac).map(Object::toString).orElse(""),
        d.driver().map(DriverName::value).orElse(""),
        d.address().toString(),
        d.vendor().toString(),
        d.deviceId().toString(),
        "",
        n.map(NetInterface::mtu).orElse(0),
        pf.numVfs(),
        n.flatMap(
                x ->
                    x.speedMbps().isPresent()
                        ? Optional.of(x.speedMbps().getAsInt() + " Mb/s")
                        : Optional.empty())
            .orElse(""),
        linkType(d.linkType()),
        pf.link().map(l -> l.isUp() ? "up" : "down").orElse(""),
        pf.eswitchMode().orElse(EswitchMode.LEGACY).configName(),
        externallyManaged,
        pf.totalVfs(),
        vfs,
        altNames);
  }

  private static VfStatus vfStatus(ObservedVf vf) {
    PciNetDevice d = vf.device();
    Optional<NetInterface> n = d.netdev();
    int vlan =
        vf.pfView()
            .map(VfInfo::vlans)
            .filter(l -> !l.isEmpty())
            .map(l -> l.get(0))
            .map(VfVlan::vlan)
            .orElse(0);
    return new VfStatus(
        n.map(x -> x.name().value()).orElse(""),
        n.flatMap(NetInterface::mac).map(Object::toString).orElse(""),
        "",
        d.driver().map(DriverName::value).orElse(""),
        d.address().toString(),
        d.vendor().toString(),
        d.deviceId().toString(),
        vlan,
        n.map(NetInterface::mtu).orElse(0),
        vf.index(),
        d.vdpa().map(VdpaDevice::type).map(t -> t.configName()).orElse(""),
        "",
        "");
  }

  /** Upstream's {@code ETH}/{@code IB}; other link types upper-cased. */
  static String linkType(LinkType t) {
    if (t.equals(LinkType.ETHER)) {
      return "ETH";
    }
    if (t.equals(LinkType.INFINIBAND)) {
      return "IB";
    }
    return t.name().toUpperCase(Locale.ROOT);
  }
}
