package io.sriov.daemon.apply;

import io.sriov.core.device.NetInterface;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.daemon.desired.VfDeviceType;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.observe.ObservedVf;
import io.sriov.daemon.ownership.OwnershipStore;
import io.sriov.daemon.plan.PfPlan;
import io.sriov.daemon.plan.Step;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.RtnlRequests;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.provision.DriverChange;
import io.sriov.sysfs.provision.NumVfsChange;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PF's apply: its original state is the plan's observation; each step re-reads what it changes,
 * changes it only when needed, and pushes how to undo exactly that; on the first failure the pushed
 * undos run in reverse. Runs on one thread; the caller runs PFs in parallel.
 */
final class PfTransaction {
  private static final Logger log = LoggerFactory.getLogger(PfTransaction.class);

  private final PfPlan plan;
  private final boolean alreadyOwned;

  /** The applier recorded this PF as ours for this apply (it was not): forgotten on rollback. */
  private final boolean claimedNow;

  private final SriovProvisioner provisioner;
  private final RtnlOperations rtnl;
  private final DevlinkOperations devlink;
  private final NodeObserver observer;
  private final OwnershipStore ownership;
  private final PciAddress pf;
  private final Deque<Undo> undo = new ArrayDeque<>();
  private final List<String> applied = new ArrayList<>();
  private ObservedPf view;

  /** VFs were created or removed since {@link #view} was read. */
  private boolean structureStale;

  /**
   * The VFs whose driver (hence netdev) changed since {@link #view} was read: a step that needs one
   * of their netdevs re-reads the PF; the other VFs' netdevs in the view are still current.
   */
  private final Set<Integer> rebound = new HashSet<>();

  /**
   * The admin MACs the PF reported for its VFs, read once for the MAC pins (one RTM_GETLINK of the
   * PF instead of one per VF); null until read and after VFs were created or removed. A VF's entry
   * is dropped once the daemon pinned it, so nothing stale is ever compared.
   */
  private Map<Integer, MacAddress> adminMacs;

  /**
   * The VFs' addresses by index as the last VF count change verified them (their {@code virtfnN}
   * and {@code physfn} links); null before any. The binds need only these, so the PF is read again
   * only once a step needs more (a netdev), after the binds.
   */
  private List<PciAddress> vfAddresses;

  /** The PF's link as read for the MAC pins when this transaction has not read the PF. */
  private Link pinLink;

  /** {@link #view} was read by this transaction (not the plan's observation). */
  private boolean viewReadHere;

  // What this transaction changed and verified since {@link #view} was read, for the PF's state
  // after ({@link #after}) without reading it again; cleared by every re-read.

  /** A PF-level change (MTU, link, eswitch): the PF is read again for the state after. */
  private boolean pfChanged;

  /** VFs bound to vfio-pci, verified by the provisioner (their driver link). */
  private final Set<Integer> onVfio = new HashSet<>();

  /** VF netdev MTUs the kernel acknowledged. */
  private final Map<Integer, Integer> vfMtus = new HashMap<>();

  /** VF admin MACs the kernel acknowledged. */
  private final Map<Integer, MacAddress> pinned = new HashMap<>();

  PfTransaction(
      PfPlan plan,
      boolean alreadyOwned,
      boolean claimedNow,
      SriovProvisioner provisioner,
      RtnlOperations rtnl,
      DevlinkOperations devlink,
      NodeObserver observer,
      OwnershipStore ownership) {
    this.plan = plan;
    this.alreadyOwned = alreadyOwned;
    this.claimedNow = claimedNow;
    this.provisioner = provisioner;
    this.rtnl = rtnl;
    this.devlink = devlink;
    this.observer = observer;
    this.ownership = ownership;
    this.pf = plan.observed().address();
    this.view = plan.observed();
  }

  /** One change to the node through sysfs, rtnetlink or devlink. */
  @FunctionalInterface
  private interface NodeAction<T> {
    T run() throws SysfsException, NetlinkException, StepException;
  }

  /** Runs {@code action}, turning OS-edge failures into a {@link StepException} with the errno. */
  private static <T> T call(NodeAction<T> action) throws StepException {
    try {
      return action.run();
    } catch (SysfsException e) {
      throw StepException.of(e);
    } catch (NetlinkException e) {
      throw StepException.of(e);
    }
  }

  /** How to put back what one step changed. */
  private record Undo(String describe, NodeAction<?> action) {
    void run() throws StepException {
      call(action);
    }
  }

  private void pushUndo(String describe, NodeAction<?> action) {
    undo.push(new Undo(describe, action));
  }

  /** A failed node operation, with its errno when it has one. */
  static final class StepException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Optional<String> errno;

    StepException(Optional<String> errno, String message, Throwable cause) {
      super(message, cause);
      this.errno = errno;
    }

    static StepException of(SysfsException e) {
      return new StepException(Optional.of(e.errno().name()), e.getMessage(), e);
    }

    static StepException of(NetlinkException e) {
      Optional<String> errno =
          e instanceof ErrnoException ee ? Optional.of(ee.errnoName()) : Optional.empty();
      return new StepException(errno, e.getMessage(), e);
    }
  }

  /**
   * Whether applying {@code p} makes the PF ours (configured, not externally managed, not refused).
   */
  static boolean claims(PfPlan p) {
    return p.failure().isEmpty() && p.action() == PfPlan.Action.CONFIGURE && !p.externallyManaged();
  }

  static PfResult refused(PfPlan p, String message, Optional<String> errno) {
    return new PfResult(
        p.observed().address(),
        p.observed().label(),
        p.action(),
        PfResult.Outcome.REJECTED,
        List.of(),
        Optional.of(new PfResult.Failure(Optional.empty(), errno, message)),
        List.of(),
        Optional.of(p.observed()));
  }

  PfResult run() {
    if (plan.failure().isPresent()) {
      log.warn("PF refused pf={} reason={}", pf, plan.failure().get());
      return refused(plan, plan.failure().get(), Optional.empty());
    }
    if (plan.externallyManaged() && alreadyOwned) {
      // Declared externally managed now: the daemon gives the PF up and will never reset it.
      try {
        ownership.remove(pf);
      } catch (IOException e) {
        return refused(
            plan,
            "forgetting the externally managed PF in the ownership record failed: "
                + e.getMessage(),
            Applier.errnoOf(e));
      }
    }
    if (!plan.hasChanges()) {
      return result(
          PfResult.Outcome.UNCHANGED, Optional.empty(), List.of(), Optional.of(plan.observed()));
    }
    List<Step> steps = plan.steps();
    for (int i = 0; i < steps.size(); ) {
      int end = i + 1;
      while (steps.get(i) instanceof Step.PinVfMac
          && end < steps.size()
          && steps.get(end) instanceof Step.PinVfMac) {
        end++;
      }
      try {
        if (steps.get(i) instanceof Step.PinVfMac) {
          pinMacs(steps.subList(i, end));
        } else {
          execute(steps.get(i));
        }
      } catch (StepFailed f) {
        return failed(f.step, f.error);
      } catch (StepException | RuntimeException e) {
        return failed(steps.get(i), e);
      }
      i = end;
    }
    if (plan.action() == PfPlan.Action.RESET) {
      try {
        ownership.remove(pf);
      } catch (IOException e) {
        // The PF is reset; keeping its record only means a later reset finds nothing to do.
        log.warn("forgetting a reset PF failed pf={} error={}", pf, e.getMessage());
      }
    }
    log.info("PF applied pf={} changes={}", pf, applied.size());
    return result(PfResult.Outcome.APPLIED, Optional.empty(), List.of(), after());
  }

  /** Puts the PF back after {@code step} failed with {@code e}. */
  private PfResult failed(Step step, Exception e) {
    // A RuntimeException is a defect (or a simulated kernel's broken tree), not a node state:
    // still put the PF back and let the other PFs finish.
    PfResult.Failure failure =
        new PfResult.Failure(
            Optional.of(step.describe()),
            e instanceof StepException se ? se.errno : Optional.empty(),
            e instanceof StepException ? e.getMessage() : "unexpected error: " + e);
    if (e instanceof StepException) {
      log.warn("PF step failed pf={} step=\"{}\" error={}", pf, step.describe(), e.getMessage());
    } else {
      log.error("PF step failed unexpectedly pf={} step=\"{}\"", pf, step.describe(), e);
    }
    List<String> problems = rollback();
    if (problems.isEmpty() && claimedNow) {
      try {
        ownership.remove(pf);
      } catch (IOException io) {
        problems.add("forgetting the PF in the ownership record failed: " + io.getMessage());
      }
    }
    return result(
        problems.isEmpty() ? PfResult.Outcome.ROLLED_BACK : PfResult.Outcome.ROLLBACK_FAILED,
        Optional.of(failure),
        problems,
        reread(true));
  }

  /** A step of a batch failed: which one, and its {@link StepException} or defect. */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Step step;
    private final Exception error;

    StepFailed(Step step, Exception error) {
      super(error.getMessage(), error);
      this.step = step;
      this.error = error;
    }
  }

  private PfResult result(
      PfResult.Outcome outcome,
      Optional<PfResult.Failure> failure,
      List<String> problems,
      Optional<ObservedPf> after) {
    return new PfResult(
        pf, plan.observed().label(), plan.action(), outcome, applied, failure, problems, after);
  }

  /**
   * The PF as this transaction leaves it: its last read with the changes verified since ({@link
   * #onVfio}, {@link #vfMtus}, {@link #pinned}); read again only what was changed and not verified:
   * the VFs after a VF count change, the PF after a PF-level change, a VF after a bind to a kernel
   * driver (its netdev is the driver's). Empty when that read fails.
   */
  private Optional<ObservedPf> after() {
    boolean unverified =
        structureStale
            || pfChanged
            || !onVfio.containsAll(rebound)
            || pinned.keySet().stream()
                .anyMatch(i -> view.vf(i).flatMap(ObservedVf::pfView).isEmpty())
            || vfMtus.keySet().stream()
                .anyMatch(i -> view.vf(i).flatMap(v -> v.device().netdev()).isEmpty());
    if (unverified) {
      return reread(false);
    }
    List<ObservedVf> vfs = new ArrayList<>();
    for (ObservedVf v : view.vfs()) {
      ObservedVf now = onVfio.contains(v.index()) ? v.onVfioPci() : v;
      Integer mtu = vfMtus.get(v.index());
      now = mtu == null ? now : now.withMtu(mtu);
      MacAddress mac = pinned.get(v.index());
      vfs.add(mac == null ? now : now.withAdminMac(mac));
    }
    return Optional.of(view.withVfs(vfs));
  }

  /** The PF read again for the state after (after a rollback: always); empty when unreadable. */
  private Optional<ObservedPf> reread(boolean rolledBack) {
    try {
      reread();
      return Optional.of(view);
    } catch (StepException | RuntimeException e) {
      log.warn(
          "reading the PF after the apply failed pf={} rolledBack={} error={}",
          pf,
          rolledBack,
          e.getMessage());
      return Optional.empty();
    }
  }

  private List<String> rollback() {
    List<String> problems = new ArrayList<>();
    while (!undo.isEmpty()) {
      Undo u = undo.pop();
      try {
        u.run();
        log.info("undone pf={} step=\"{}\"", pf, u.describe());
      } catch (StepException | RuntimeException e) {
        problems.add(u.describe() + ": " + e.getMessage());
        log.warn("undo failed pf={} step=\"{}\" error={}", pf, u.describe(), e.getMessage());
      }
    }
    return problems;
  }

  // ------------------------------------------------------------------ steps

  /** A step other than a MAC pin (a run of those is one batch: {@link #pinMacs}). */
  private void execute(Step step) throws StepException {
    boolean changed =
        switch (step) {
          case Step.SetNumVfs s -> numVfs(s.to());
          case Step.SetEswitchMode s -> eswitch(s.to());
          case Step.SetPfMtu s -> pfMtu(s.to());
          case Step.SetPfUp s -> pfUp();
          case Step.BindVfDriver s -> bindVf(s.vf(), s.to());
          case Step.SetVfMtu s -> vfMtu(s.vf(), s.to());
          case Step.PinVfMac s ->
              throw new IllegalStateException("MAC pins run as a batch: " + s.describe());
        };
    if (changed) {
      applied.add(step.describe());
    }
  }

  private boolean numVfs(int n) throws StepException {
    int before = view().numVfs();
    // Pushed before the writes: setNumVfs writes 0 then n, and a failure of the second write
    // leaves the PF with no VFs. Undoing is idempotent (nothing happens when the count is right).
    pushUndo(
        "numVfs back to " + before,
        () -> {
          structureStale = true;
          adminMacs = null;
          vfAddresses = null;
          vfAddresses = provisioner.setNumVfs(pf, before).vfs();
          restoreOriginalVfDrivers(before);
          return null;
        });
    vfAddresses = null;
    try {
      NumVfsChange change = call(() -> provisioner.setNumVfs(pf, n));
      vfAddresses = change.vfs();
      return change.changed();
    } finally {
      structureStale = true;
      adminMacs = null;
    }
  }

  /** After VFs were re-created by an undo, puts each back on the driver it had originally. */
  private void restoreOriginalVfDrivers(int count) throws StepException {
    for (ObservedVf vf : plan.observed().vfs()) {
      if (vf.index() < count) {
        restoreDriver(vf.device().address(), vf.device().driver());
      }
    }
  }

  private void restoreDriver(PciAddress vf, Optional<DriverName> original) throws StepException {
    call(
        () -> {
          if (!provisioner.currentDriver(vf).equals(original)) {
            if (original.isEmpty()) {
              provisioner.unbind(vf);
            } else {
              provisioner.bindDriver(vf, original.get());
            }
          }
          return null;
        });
  }

  private boolean eswitch(EswitchMode to) throws StepException {
    DevlinkHandle h = DevlinkHandle.pci(pf);
    EswitchMode before = call(() -> devlink.eswitchMode(h));
    if (before == to) {
      return false;
    }
    call(
        () -> {
          devlink.setEswitchMode(h, to);
          return null;
        });
    pfChanged = true;
    pushUndo(
        "eSwitchMode back to " + before.configName(),
        () -> {
          devlink.setEswitchMode(h, before);
          return null;
        });
    return true;
  }

  private boolean pfMtu(int to) throws StepException {
    boolean changed = setMtu(pfLink(), to, "PF");
    pfChanged |= changed;
    return changed;
  }

  private boolean setMtu(Link link, int to, String what) throws StepException {
    int before = link.mtu();
    if (before == to) {
      return false;
    }
    call(
        () -> {
          rtnl.setMtu(link.index(), to);
          return null;
        });
    pushUndo(
        what + " " + link.name() + " mtu back to " + before,
        () -> {
          rtnl.setMtu(link.index(), before);
          return null;
        });
    return true;
  }

  private boolean pfUp() throws StepException {
    Link link = pfLink();
    if (link.isUp()) {
      return false;
    }
    call(
        () -> {
          rtnl.setUp(link.index(), true);
          return null;
        });
    pfChanged = true;
    pushUndo(
        "PF " + link.name() + " link back down",
        () -> {
          rtnl.setUp(link.index(), false);
          return null;
        });
    return true;
  }

  private boolean bindVf(int index, VfDeviceType to) throws StepException {
    PciAddress vf = vfAddress(index);
    // The provisioner checks the device and its driver before it writes and verifies the bind
    // after (it reads the driver link back): its answers are the driver before and now, so they
    // are not read again here.
    Optional<DriverName> before;
    Optional<DriverName> now;
    if (to == VfDeviceType.VFIO_PCI) {
      before = call(() -> provisioner.bindDriver(vf, DriverName.VFIO_PCI));
      now = Optional.of(DriverName.VFIO_PCI);
    } else {
      DriverChange change = call(() -> provisioner.toDefaultDriver(vf));
      before = change.before();
      now = Optional.of(change.now());
    }
    if (now.equals(before)) {
      return false;
    }
    rebound.add(index);
    if (to == VfDeviceType.VFIO_PCI) {
      onVfio.add(index);
    } else {
      onVfio.remove(index);
    }
    pushUndo(
        "VF " + index + " back to " + before.map(DriverName::value).orElse("no driver"),
        () -> {
          restoreDriver(vf, before);
          rebound.add(index);
          return null;
        });
    return true;
  }

  private boolean vfMtu(int index, int to) throws StepException {
    NetInterface netdev = vfNetdev(vf(index, true));
    boolean changed = setMtu(linkNamed(netdev.name().value()), to, "VF " + index);
    if (changed) {
      vfMtus.put(index, to);
    }
    return changed;
  }

  /** One VF's admin MAC pin: from what to what, and the step it carries out. */
  private record Pin(Step step, int pfIndex, VfIndex vf, MacAddress mac, MacAddress before) {
    VfConfig to() {
      return VfConfig.forVf(vf).mac(mac).build();
    }

    VfConfig back() {
      return VfConfig.forVf(vf).mac(before).build();
    }
  }

  /**
   * A run of consecutive MAC pins of this PF in one batched RTM_SETLINK (see {@link
   * io.sriov.netlink.route.VfOperations#setVfs}): one rtnl_lock hold and one notification of the PF
   * instead of one per VF. VFs whose admin MAC already is their MAC are left out. When a VF cannot
   * be pinned (no MAC, not reported), the VFs before it are pinned first, as one step each would.
   */
  private void pinMacs(List<Step> run) throws StepFailed {
    List<Pin> pins = new ArrayList<>();
    for (Step step : run) {
      Optional<Pin> pin;
      try {
        pin = pinFor(step, ((Step.PinVfMac) step).vf());
      } catch (StepException | RuntimeException e) {
        setMacs(pins);
        throw new StepFailed(step, e);
      }
      pin.ifPresent(pins::add);
    }
    setMacs(pins);
  }

  /** VF {@code index}'s pin, empty when its admin MAC already is its netdev's MAC. */
  private Optional<Pin> pinFor(Step step, int index) throws StepException {
    ObservedVf vf = vf(index, true);
    MacAddress mac =
        vfNetdev(vf)
            .mac()
            .orElseThrow(
                () ->
                    new StepException(
                        Optional.of("ENODATA"),
                        "VF " + index + " (" + vf.device().address() + ") has no MAC to pin",
                        null));
    Link pfLink = pinLink();
    if (adminMacs == null && viewReadHere && !structureStale && view.link().isPresent()) {
      // This transaction read the PF after its VFs last changed: that read has their admin MACs.
      Map<Integer, MacAddress> read = new HashMap<>();
      view.vfs().forEach(v -> v.pfView().ifPresent(i -> read.put(v.index(), i.mac())));
      adminMacs = read;
    }
    if (adminMacs == null || !adminMacs.containsKey(index)) {
      Map<Integer, MacAddress> read = new HashMap<>();
      for (VfInfo v : call(() -> rtnl.vfs(pfLink.index(), false))) {
        read.put(v.vf().value(), v.mac());
      }
      adminMacs = read;
    }
    MacAddress before = adminMacs.remove(index);
    if (before == null) {
      throw new StepException(
          Optional.of("ENODEV"), "PF " + pfLink.name() + " does not report VF " + index, null);
    }
    return before.equals(mac)
        ? Optional.empty()
        : Optional.of(new Pin(step, pfLink.index(), VfIndex.of(index), mac, before));
  }

  /**
   * Sets {@code pins} in one batched request. The undo, pushed first, covers every VF of the batch:
   * the kernel stops at the first VF the driver refuses and keeps the ones before it, and setting a
   * VF back to the MAC it had is harmless when it was not changed. When the batch fails, the VFs
   * are set one request each, in order, so the failure names the VF and its errno as a step of its
   * own would.
   */
  private void setMacs(List<Pin> pins) throws StepFailed {
    if (pins.isEmpty()) {
      return;
    }
    int pfIndex = pins.get(0).pfIndex();
    List<VfConfig> back = pins.stream().map(Pin::back).toList();
    List<MacAddress> befores = pins.stream().map(Pin::before).distinct().toList();
    pushUndo(
        back.size() == 1
            ? "VF " + pins.get(0).vf() + " admin MAC back to " + pins.get(0).before()
            : "VFs "
                + RtnlRequests.vfNumbers(back)
                + " admin MACs back to "
                + (befores.size() == 1 ? befores.get(0) : "theirs before"),
        () -> {
          restoreMacs(pfIndex, back);
          return null;
        });
    if (batched(pfIndex, pins.stream().map(Pin::to).toList(), "VF MAC pins")) {
      pins.forEach(this::recordPinned);
      return;
    }
    for (Pin p : pins) {
      try {
        call(
            () -> {
              rtnl.setVf(pfIndex, p.to());
              return null;
            });
      } catch (StepException | RuntimeException e) {
        throw new StepFailed(p.step(), e);
      }
      recordPinned(p);
    }
  }

  /** {@code configs} in batched requests; false (logged) when one failed, for a per-VF retry. */
  private boolean batched(int pfIndex, List<VfConfig> configs, String what) {
    try {
      rtnl.setVfs(pfIndex, configs);
      return true;
    } catch (NetlinkException | RuntimeException e) {
      log.info(
          "batched {} failed, one request per VF pf={} vfs={} error={}",
          what,
          pf,
          configs.size(),
          e.getMessage());
      return false;
    }
  }

  private void recordPinned(Pin p) {
    pinned.put(p.vf().value(), p.mac());
    applied.add(p.step().describe());
  }

  /** Puts the VFs' admin MACs back: batched, else one request per VF (the first failure thrown). */
  private void restoreMacs(int pfIndex, List<VfConfig> back) throws NetlinkException {
    if (batched(pfIndex, back, "undo of VF MAC pins")) {
      return;
    }
    NetlinkException first = null;
    for (VfConfig c : back) {
      try {
        rtnl.setVf(pfIndex, c);
      } catch (NetlinkException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  // ------------------------------------------------------------------ reading back

  /** The PF as it is now; re-read only after VFs were created or removed. */
  private ObservedPf view() throws StepException {
    if (structureStale) {
      reread();
    }
    return view;
  }

  private void reread() throws StepException {
    // After a VF count change alone, only the VFs are new: the PF's link and eswitch mode are as
    // read (a PF-level change since, or known problems, read the whole PF again).
    boolean vfsOnly = structureStale && !pfChanged && view.problems().isEmpty();
    view =
        (!vfsOnly
                ? observer.observePf(pf)
                : vfAddresses != null
                    ? observer.observeVfs(view, vfAddresses)
                    : observer.observeVfs(view))
            .orElseThrow(
                () ->
                    new StepException(
                        Optional.of("ENODEV"), "PF " + pf + " is gone from the node", null));
    structureStale = false;
    rebound.clear();
    viewReadHere = true;
    pfChanged = false;
    onVfio.clear();
    vfMtus.clear();
    pinned.clear();
  }

  /**
   * VF {@code index} as it is now. With {@code needNetdev}, the PF is re-read when that VF was
   * rebound since the last read, or when the view shows it without a netdev (a driver's probe may
   * register it after the VF appeared).
   */
  private ObservedVf vf(int index, boolean needNetdev) throws StepException {
    if (needNetdev && rebound.contains(index)) {
      reread();
    }
    Optional<ObservedVf> vf = view().vf(index);
    if (needNetdev && vf.isPresent() && vf.get().device().netdev().isEmpty()) {
      reread();
      vf = view.vf(index);
    }
    return vf.orElseThrow(
        () ->
            new StepException(
                Optional.of("ENODEV"), "VF " + index + " of " + pf + " is not on the node", null));
  }

  /** VF {@code index}'s address: from the last VF count change while the PF is not read again. */
  private PciAddress vfAddress(int index) throws StepException {
    if (structureStale && vfAddresses != null) {
      if (index >= vfAddresses.size()) {
        throw new StepException(
            Optional.of("ENODEV"), "VF " + index + " of " + pf + " is not on the node", null);
      }
      return vfAddresses.get(index);
    }
    return vf(index, false).device().address();
  }

  private static NetInterface vfNetdev(ObservedVf vf) throws StepException {
    return vf.device()
        .netdev()
        .orElseThrow(
            () ->
                new StepException(
                    Optional.of("ENODEV"),
                    "VF "
                        + vf.index()
                        + " ("
                        + vf.device().address()
                        + ") has no netdev (driver "
                        + vf.device().driver().map(DriverName::value).orElse("none")
                        + ")",
                    null));
  }

  /**
   * The PF's link for the MAC pins, which need only its index: this transaction's read of the PF
   * when there is one, else read once for all the pins (not once per VF).
   */
  private Link pinLink() throws StepException {
    if (viewReadHere && !structureStale && view.link().isPresent()) {
      return view.link().get();
    }
    if (pinLink == null) {
      pinLink = pfLink();
    }
    return pinLink;
  }

  private Link pfLink() throws StepException {
    String name =
        view()
            .name()
            .orElseThrow(
                () -> new StepException(Optional.of("ENODEV"), "PF " + pf + " has no netdev", null))
            .value();
    return linkNamed(name);
  }

  private Link linkNamed(String name) throws StepException {
    try {
      return rtnl.link(name)
          .orElseThrow(
              () ->
                  new StepException(Optional.of("ENODEV"), "rtnetlink has no link " + name, null));
    } catch (NetlinkException e) {
      throw StepException.of(e);
    }
  }
}
