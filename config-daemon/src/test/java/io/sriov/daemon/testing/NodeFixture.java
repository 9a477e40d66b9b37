package io.sriov.daemon.testing;

import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.observe.ObservedNode;
import io.sriov.daemon.ownership.FileOwnershipStore;
import io.sriov.daemon.plan.NodePlan;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.VfGroupSpec;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsWriter;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine wired to a simulated node (test topology {@code test-topology.yaml}): discovery,
 * provisioner, the node's own simulated rtnetlink, an in-memory devlink, observer, validator,
 * planner, file ownership store and applier, the way the composition root will wire them.
 */
public final class NodeFixture {
  public static final PciAddress E810_0 = PciAddress.parse("0000:3b:00.0");
  public static final PciAddress E810_1 = PciAddress.parse("0000:3b:00.1");
  public static final PciAddress CX6 = PciAddress.parse("0000:af:00.0");
  public static final PciAddress IB = PciAddress.parse("0000:d8:00.0");
  public static final PciAddress PLAIN_NIC = PciAddress.parse("0000:5e:00.0");
  public static final PciAddress ACCELERATOR = PciAddress.parse("0000:6b:00.0");

  public final SimulatedNode node;

  /** The simulated node's own rtnetlink (host namespace), recorded; the daemon is given it. */
  public final RecordingRtnl rtnl;

  /** Every sysfs write the daemon made through the node's kernel, {@code <file>=<value>}. */
  public final List<String> sysfsWrites = new CopyOnWriteArrayList<>();

  public final InMemoryDevlink devlink = new InMemoryDevlink();

  /**
   * The node's discovery as the daemon gets it ({@code node.discovery()}): sysfs with the netdevs'
   * facts from one simulated rtnetlink dump per walk. The engine's observer reads through it.
   */
  public final DeviceDiscovery discovery;

  /**
   * The same node read from sysfs files alone ({@link #observe()}): what the engine's status and
   * plans are compared with, so the dump-backed reads are checked against the files.
   */
  public final SysfsDeviceDiscovery files;

  public final SriovProvisioner provisioner;
  public final NodeObserver observer;
  private final NodeObserver filesObserver;
  public final FileOwnershipStore ownership;
  public final Path ownershipFile;
  public final Applier applier;
  public final NodeStateValidator validator = new NodeStateValidator();
  public final Planner planner = new Planner();

  public NodeFixture(Path dir) {
    this(createNode(dir), dir);
  }

  private static SimulatedNode createNode(Path dir) {
    try {
      Path topo = dir.resolve("topology.yaml");
      try (InputStream in =
          NodeFixture.class.getResourceAsStream("/io/sriov/daemon/test-topology.yaml")) {
        Files.copy(in, topo, StandardCopyOption.REPLACE_EXISTING);
      }
      return SimulatedNode.create(dir.resolve("node"), Topology.load(topo));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private NodeFixture(SimulatedNode node, Path dir) {
    this.node = node;
    rtnl = new RecordingRtnl(node.rtnl().orElseThrow());
    SysfsWriter kernel = node.sysfsWriter();
    devlink.addDevice(DevlinkHandle.pci(CX6));
    discovery = node.discovery();
    files = new SysfsDeviceDiscovery(node.root());
    provisioner =
        new SriovProvisioner(
            node.root(),
            (file, value, timeout) -> {
              kernel.write(file, value, timeout);
              sysfsWrites.add(node.root().display(file) + "=" + value.strip());
            },
            new ProvisionTimeouts(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofMillis(5)));
    observer = new NodeObserver(discovery, rtnl.rtnl, devlink);
    filesObserver = new NodeObserver(files, rtnl.rtnl, devlink);
    ownershipFile = dir.resolve("state/owned-pfs.json");
    ownership = openStore(ownershipFile);
    applier = new Applier(provisioner, rtnl.rtnl, devlink, observer, ownership, 2);
  }

  private static FileOwnershipStore openStore(Path file) {
    try {
      return FileOwnershipStore.open(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A daemon restart: new engine objects (observer, planner, applier, ownership store) over the
   * same node (its links, admin states and VF MACs as they are) and the same state directory; the
   * records of rtnetlink changes and sysfs writes start empty.
   */
  public NodeFixture restart() {
    return new NodeFixture(node, ownershipFile.getParent().getParent());
  }

  /** A fresh observation of the node from its sysfs files (no link dump). */
  public ObservedNode observe() {
    return filesObserver.observe();
  }

  public DesiredNode validate(NodeStateSpec spec) {
    return validator.validate(spec, discovery.discoverAll());
  }

  public NodePlan plan(NodeStateSpec spec) {
    try {
      return planner.plan(validate(spec), observe(), ownership.owned());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validate, plan, apply: one reconcile pass. */
  public ApplyReport apply(NodeStateSpec spec) {
    return applier.apply(plan(spec));
  }

  // ---------------------------------------------------------------- spec builders

  public static NodeStateSpec spec(InterfaceSpec... interfaces) {
    return NodeStateSpec.of(List.of(interfaces));
  }

  public static InterfaceSpec pf(PciAddress a, int numVfs, VfGroupSpec... groups) {
    return new InterfaceSpec(a.toString(), numVfs, 0, "", "", "", List.of(groups), false);
  }

  public static InterfaceSpec pf(
      PciAddress a, int numVfs, int mtu, String eSwitchMode, VfGroupSpec... groups) {
    return new InterfaceSpec(
        a.toString(), numVfs, mtu, "", "", eSwitchMode, List.of(groups), false);
  }

  public static InterfaceSpec external(PciAddress a, int numVfs, int mtu, VfGroupSpec... groups) {
    return new InterfaceSpec(a.toString(), numVfs, mtu, "", "", "", List.of(groups), true);
  }

  public static VfGroupSpec group(String resource, String deviceType, String range) {
    return new VfGroupSpec(resource, deviceType, range, "policy-" + resource, 0, false, "");
  }

  public static VfGroupSpec group(String resource, String deviceType, String range, int mtu) {
    return new VfGroupSpec(resource, deviceType, range, "policy-" + resource, mtu, false, "");
  }
}
