package io.sriov.daemon.plan;

import io.sriov.core.device.NetInterface;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.DesiredPf;
import io.sriov.daemon.desired.DesiredVfGroup;
import io.sriov.daemon.desired.VfDeviceType;
import io.sriov.daemon.observe.ObservedNode;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.observe.ObservedVf;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.netlink.devlink.EswitchMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Desired state vs the node as observed: what changes on each PF, and why. Pure: reads nothing,
 * touches nothing. A node that already matches gets a plan without changes (restart idempotence:
 * VFs keep their identity, running pods are unaffected).
 *
 * <p>Per PF (upstream's {@code NeedToUpdateSriov} and {@code configSriovDevice}), in this order:
 *
 * <ol>
 *   <li>PF MTU, raised only, never lowered;
 *   <li>PF link up when administratively down (both before any VF is created: igb serves a new VF's
 *       reset handshake only while the PF is up, the e2e guest showed it);
 *   <li>eswitch mode, when the spec names one the PF is not in: VFs to 0, mode, VFs to N (the order
 *       every driver accepts);
 *   <li>VF count, only when it differs: 0 then N ({@code SriovProvisioner.setNumVfs});
 *   <li>per VF in a group: driver (kernel default for netdevice, vfio-pci), VF MTU (netdevice),
 *       admin MAC pinned to the VF's own MAC (netdevice). VFs outside every group are left alone.
 * </ol>
 *
 * An {@code externallyManaged} PF is verified (numVfs not above what it has, mtu not above its MTU)
 * and only its group VFs are configured; its VF count, MTU, eswitch and link are never changed. PFs
 * dropped from the desired state are reset (numVfs 0, original MTU and eswitch mode) only when the
 * ownership store records them.
 */
public final class Planner {

  public NodePlan plan(DesiredNode desired, ObservedNode observed, Map<PciAddress, OwnedPf> owned) {
    List<PfPlan> out = new ArrayList<>();
    for (DesiredPf d : desired.pfs()) {
      Optional<ObservedPf> ob = observed.pf(d.pciAddress());
      if (ob.isEmpty()) {
        throw new IllegalArgumentException(
            "desired PF " + d.pciAddress() + " is not in the observed node (validate first)");
      }
      out.add(configure(d, ob.get()));
    }
    for (OwnedPf o : owned.values()) {
      if (desired.pf(o.pciAddress()).isPresent()) {
        continue;
      }
      observed.pf(o.pciAddress()).ifPresent(ob -> out.add(reset(o, ob)));
    }
    return new NodePlan(out);
  }

  private static PfPlan configure(DesiredPf d, ObservedPf ob) {
    if (!ob.problems().isEmpty()) {
      return failed(d, ob, "cannot read the PF: " + String.join("; ", ob.problems()));
    }
    if (d.externallyManaged()) {
      return externallyManaged(d, ob);
    }
    List<Step> steps = new ArrayList<>();
    // The PF first: its MTU and link before any VF exists. igb answers a new VF's reset handshake
    // only while the PF is up (a VF probed under a down PF gets a random MAC and no link), and a
    // VF MTU above the PF's is refused.
    OptionalInt pfMtu = ob.mtu().map(OptionalInt::of).orElse(OptionalInt.empty());
    if (d.mtu().isPresent() && pfMtu.isPresent() && d.mtu().getAsInt() > pfMtu.getAsInt()) {
      steps.add(
          new Step.SetPfMtu(
              pfMtu.getAsInt(),
              d.mtu().getAsInt(),
              "spec mtu " + d.mtu().getAsInt() + " is above the PF's " + pfMtu.getAsInt()));
    }
    if (ob.link().isPresent() && !ob.link().get().isUp()) {
      steps.add(new Step.SetPfUp("the PF is administratively down"));
    }
    boolean recreated = false;
    Optional<EswitchMode> want = d.eswitchMode();
    boolean eswitchChange = false;
    if (want.isPresent()) {
      if (ob.eswitchMode().isEmpty()) {
        if (want.get() == EswitchMode.SWITCHDEV) {
          return failed(
              d,
              ob,
              "eSwitchMode switchdev: the PF's driver "
                  + ob.device().driver().map(DriverName::value).orElse("(none)")
                  + " has no devlink eswitch");
        }
      } else if (ob.eswitchMode().get() != want.get()) {
        eswitchChange = true;
      }
    }
    if (eswitchChange) {
      if (ob.numVfs() > 0) {
        steps.add(
            new Step.SetNumVfs(
                ob.numVfs(), 0, "the eswitch mode changes only while the PF has no VFs"));
      }
      steps.add(
          new Step.SetEswitchMode(
              ob.eswitchMode(),
              want.get(),
              "spec eSwitchMode "
                  + want.get().configName()
                  + ", the PF is in "
                  + ob.eswitchMode().get().configName()));
      if (d.numVfs() > 0) {
        steps.add(new Step.SetNumVfs(0, d.numVfs(), "spec numVfs " + d.numVfs()));
        recreated = true;
      }
    } else if (ob.numVfs() != d.numVfs()) {
      steps.add(
          new Step.SetNumVfs(
              ob.numVfs(),
              d.numVfs(),
              "spec numVfs "
                  + d.numVfs()
                  + ", the PF has "
                  + ob.numVfs()
                  + (ob.numVfs() > 0 && d.numVfs() > 0
                      ? " (via 0: the kernel cannot change a VF count in place)"
                      : "")));
      recreated = d.numVfs() > 0;
    }
    steps.addAll(vfSteps(d, ob, recreated));
    return new PfPlan(PfPlan.Action.CONFIGURE, ob, Optional.of(d), steps, Optional.empty());
  }

  private static PfPlan externallyManaged(DesiredPf d, ObservedPf ob) {
    if (d.numVfs() > ob.numVfs()) {
      return failed(
          d,
          ob,
          "externallyManaged: numVfs "
              + d.numVfs()
              + " but the PF has "
              + ob.numVfs()
              + " VFs (the daemon does not create VFs on an externally managed PF)");
    }
    if (d.mtu().isPresent() && ob.mtu().isPresent() && d.mtu().getAsInt() > ob.mtu().get()) {
      return failed(
          d,
          ob,
          "externallyManaged: mtu "
              + d.mtu().getAsInt()
              + " is above the PF's MTU "
              + ob.mtu().get()
              + " (the daemon does not change an externally managed PF)");
    }
    if (d.eswitchMode().isPresent()
        && ob.eswitchMode().orElse(EswitchMode.LEGACY) != d.eswitchMode().get()) {
      return failed(
          d,
          ob,
          "externallyManaged: eSwitchMode "
              + d.eswitchMode().get().configName()
              + " but the PF is in "
              + ob.eswitchMode().orElse(EswitchMode.LEGACY).configName()
              + " (the daemon does not change an externally managed PF)");
    }
    return new PfPlan(
        PfPlan.Action.CONFIGURE, ob, Optional.of(d), vfSteps(d, ob, false), Optional.empty());
  }

  /** Binds first, then MTUs, then MACs: each phase needs the previous one's netdevs. */
  private static List<Step> vfSteps(DesiredPf d, ObservedPf ob, boolean recreated) {
    List<Step> binds = new ArrayList<>();
    List<Step> mtus = new ArrayList<>();
    List<Step> macs = new ArrayList<>();
    for (int i = 0; i < d.numVfs(); i++) {
      Optional<DesiredVfGroup> group = d.groupOf(i);
      if (group.isEmpty()) {
        continue;
      }
      DesiredVfGroup g = group.get();
      Optional<ObservedVf> vf = recreated ? Optional.empty() : ob.vf(i);
      Optional<DriverName> driver = vf.flatMap(v -> v.device().driver());
      String groupName = "group " + g.resourceName() + " (vfRange " + g.range() + ")";
      if (g.deviceType() == VfDeviceType.VFIO_PCI) {
        if (!driver.equals(Optional.of(DriverName.VFIO_PCI))) {
          binds.add(
              new Step.BindVfDriver(
                  i,
                  driver,
                  VfDeviceType.VFIO_PCI,
                  groupName + " wants vfio-pci" + onDriver(vf, driver)));
        }
        continue;
      }
      boolean rebind = !recreated && (driver.isEmpty() || driver.get().isUserspaceDriver());
      if (rebind) {
        binds.add(
            new Step.BindVfDriver(
                i,
                driver,
                VfDeviceType.NETDEVICE,
                groupName + " wants the kernel VF driver" + onDriver(vf, driver)));
      }
      Optional<NetInterface> netdev = vf.flatMap(v -> v.device().netdev());
      boolean fresh = recreated || rebind;
      if (!fresh && netdev.isEmpty()) {
        // Bound to its kernel driver, but its netdev is not in the host namespace: the CNI moved
        // it into a pod, which owns its MTU and MAC now. Re-checks while pods run change nothing.
        continue;
      }
      if (g.mtu().isPresent()) {
        int want = g.mtu().getAsInt();
        if (fresh || netdev.get().mtu() != want) {
          mtus.add(
              new Step.SetVfMtu(
                  i,
                  fresh ? OptionalInt.empty() : OptionalInt.of(netdev.get().mtu()),
                  want,
                  groupName + " mtu " + want));
        }
      }
      if (fresh || !vf.get().adminMac().equals(vf.get().effectiveMac())) {
        macs.add(
            new Step.PinVfMac(
                i,
                fresh
                    ? "new or rebound VF: pin its MAC so a VF driver reload keeps it"
                    : "admin MAC "
                        + vf.get().adminMac().map(Object::toString).orElse("unset")
                        + " differs from the VF's MAC "
                        + vf.get().effectiveMac().map(Object::toString).orElse("(none)")));
      }
    }
    List<Step> out = new ArrayList<>(binds);
    out.addAll(mtus);
    out.addAll(macs);
    return out;
  }

  private static String onDriver(Optional<ObservedVf> vf, Optional<DriverName> driver) {
    if (vf.isEmpty()) {
      return "";
    }
    return "; VF is " + driver.map(x -> "on " + x).orElse("unbound");
  }

  private static PfPlan reset(OwnedPf o, ObservedPf ob) {
    List<Step> steps = new ArrayList<>();
    String why = "dropped from the desired state; configured by this daemon";
    if (ob.numVfs() > 0) {
      steps.add(new Step.SetNumVfs(ob.numVfs(), 0, why));
    }
    if (o.originalEswitchMode().isPresent()
        && ob.eswitchMode().isPresent()
        && ob.eswitchMode().get() != o.originalEswitchMode().get()) {
      steps.add(
          new Step.SetEswitchMode(
              ob.eswitchMode(), o.originalEswitchMode().get(), why + ", back to the original"));
    }
    if (o.originalMtu() > 0 && ob.mtu().isPresent() && ob.mtu().get() != o.originalMtu()) {
      steps.add(new Step.SetPfMtu(ob.mtu().get(), o.originalMtu(), why + ", back to the original"));
    }
    return new PfPlan(PfPlan.Action.RESET, ob, Optional.empty(), steps, Optional.empty());
  }

  private static PfPlan failed(DesiredPf d, ObservedPf ob, String why) {
    return new PfPlan(PfPlan.Action.CONFIGURE, ob, Optional.of(d), List.of(), Optional.of(why));
  }
}
