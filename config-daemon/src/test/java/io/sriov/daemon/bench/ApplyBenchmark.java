package io.sriov.daemon.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.ownership.FileOwnershipStore;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.VfGroupSpec;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.testing.InMemoryDevlink;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsWriter;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The node engine applying 8 PFs x 64 VFs on the simulated node (each PF: VFs 0-31 netdevice, 32-63
 * vfio-pci; from 0 VFs, so every VF is created and half are rebound), against the bare sysfs writes
 * that apply performs (recorded once, then replayed in order on a fresh node: {@code sriov_numvfs}
 * and the driver binds, no discovery, planning, rtnetlink or status). All start from a node with no
 * VFs, rebuilt outside the measurement for every invocation, in the same JVM run.
 *
 * <p>The peer of the bare writes is {@link #apply} with one PF at a time: the same writes on one
 * thread, so the difference is the engine's own work (observe, validate, plan, re-reads, rtnetlink,
 * status). {@link #applyParallel} (4 PFs at once, the daemon's default) is shown beside it: it is
 * not compared with the bare writes, whose replay is sequential.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ApplyBenchmark {
  static final int PFS = 8;
  static final int VFS = 64;

  /** One write the engine made: the file, relative to the node's root, and the value. */
  record Write(Path relative, String value) {}

  Path dir;
  SimulatedNode node;
  NodeEngine engine;
  NodeEngine engineParallel;
  SriovNetworkNodeState desired;

  /** The engine's sysfs writes for the same change, recorded by {@link #recordWrites}. */
  List<Write> writes;

  /**
   * Every change the engine made to the node, in order: its sysfs writes and its rtnetlink changes
   * (the 256 VF admin MAC pins, one batched {@code RTM_SETLINK} per PF with an {@code IFLA_VF_MAC}
   * per VF, replayed as such), recorded by {@link #recordWrites}.
   */
  List<NodeWrite> nodeWrites;

  /** One recorded change to the node, replayed on a fresh one. */
  interface NodeWrite {
    void replay(SimulatedNode node) throws Exception;
  }

  record SysfsNodeWrite(Write write) implements NodeWrite {
    @Override
    public void replay(SimulatedNode node) throws Exception {
      node.sysfsWriter()
          .write(
              node.root().sys().resolve(write.relative()), write.value(), Duration.ofSeconds(10));
    }
  }

  /** An rtnetlink change: the {@link RtnlOperations} method and its arguments. */
  record RtnlNodeWrite(Method method, Object[] args) implements NodeWrite {
    @Override
    public void replay(SimulatedNode node) throws Exception {
      try {
        method.invoke(node.rtnl().orElseThrow(), args);
      } catch (InvocationTargetException e) {
        throw (Exception) e.getCause();
      }
    }
  }

  /** The rtnetlink methods that change the node (the others only read). */
  static final Set<String> RTNL_CHANGES =
      Set.of(
          "setUp", "setMtu", "setMac", "setVf", "setVfs", "rename", "addAltName", "deleteAltName");

  static SriovNetworkNodeState desired() {
    List<InterfaceSpec> pfs = new ArrayList<>();
    for (int i = 0; i < PFS; i++) {
      pfs.add(
          new InterfaceSpec(
              new PciAddress(0, 0x10, 0, i).toString(),
              VFS,
              0,
              "",
              "",
              "",
              List.of(
                  new VfGroupSpec("net" + i, "netdevice", "0-31", "p", 0, false, ""),
                  new VfGroupSpec("dpdk" + i, "vfio-pci", "32-63", "p", 0, false, "")),
              false));
    }
    return SriovNetworkNodeState.of("bench", NodeStateSpec.of(pfs));
  }

  @Setup(Level.Trial)
  public void recordWrites() throws IOException {
    desired = desired();
    writes = new ArrayList<>();
    nodeWrites = new ArrayList<>();
    freshNode();
    SysfsWriter kernel = node.sysfsWriter();
    Path sys = node.root().sys();
    RtnlOperations real = node.rtnl().orElseThrow();
    RtnlOperations recording =
        (RtnlOperations)
            Proxy.newProxyInstance(
                RtnlOperations.class.getClassLoader(),
                new Class<?>[] {RtnlOperations.class},
                (proxy, method, args) -> {
                  Object out;
                  try {
                    out = method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (RTNL_CHANGES.contains(method.getName())) {
                    nodeWrites.add(new RtnlNodeWrite(method, args));
                  }
                  return out;
                });
    engine =
        engine(
            (file, value, timeout) -> {
              kernel.write(file, value, timeout);
              Write w = new Write(sys.relativize(file), value);
              writes.add(w);
              nodeWrites.add(new SysfsNodeWrite(w));
            },
            recording,
            1);
    if (!engine.reconcile(desired).succeeded()) {
      throw new IllegalStateException("the benchmark's apply failed");
    }
  }

  /** A node with no VFs and a new engine over it (a new state directory). */
  @Setup(Level.Invocation)
  public void freshNode() throws IOException {
    closeNode();
    dir = Files.createTempDirectory("sriov-apply-bench-");
    node = SimulatedNode.create(dir.resolve("node"), Topology.scale(PFS, 0));
    engine = engine(node.sysfsWriter(), node.rtnl().orElseThrow(), 1);
    engineParallel = engine(node.sysfsWriter(), node.rtnl().orElseThrow(), 4);
  }

  NodeEngine engine(SysfsWriter writer, RtnlOperations applierRtnl, int parallelism)
      throws IOException {
    SriovProvisioner provisioner =
        new SriovProvisioner(
            node.root(),
            writer,
            new ProvisionTimeouts(
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMillis(1)));
    InMemoryDevlink devlink = new InMemoryDevlink();
    var rtnl = node.rtnl().orElseThrow();
    NodeObserver observer = new NodeObserver(node.discovery(), rtnl, devlink);
    FileOwnershipStore ownership =
        FileOwnershipStore.open(dir.resolve("state-" + parallelism + "/owned-pfs.json"));
    return new NodeEngine(
        observer,
        new NodeStateValidator(),
        new Planner(),
        new Applier(provisioner, applierRtnl, devlink, observer, ownership, parallelism),
        ownership,
        new StatusReporter(),
        new SimpleMeterRegistry());
  }

  @TearDown(Level.Trial)
  public void closeNode() throws IOException {
    if (node == null) {
      return;
    }
    node.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    node = null;
  }

  /** The engine: observe, validate, plan, apply (one PF at a time), status. */
  @Benchmark
  public boolean apply() {
    return succeeded(engine);
  }

  /** As {@link #apply}, 4 PFs at once (the daemon's default {@code --parallelism}). */
  @Benchmark
  public boolean applyParallel() {
    return succeeded(engineParallel);
  }

  private boolean succeeded(NodeEngine e) {
    if (!e.reconcile(desired).succeeded()) {
      throw new IllegalStateException("the benchmark's apply failed");
    }
    return true;
  }

  /** The same sysfs writes, bare, in the order the engine made them. */
  @Benchmark
  public int bareSysfsWrites() throws Exception {
    SysfsWriter kernel = node.sysfsWriter();
    Path sys = node.root().sys();
    for (Write w : writes) {
      kernel.write(sys.resolve(w.relative()), w.value(), Duration.ofSeconds(10));
    }
    return writes.size();
  }

  /**
   * Every change the engine made to the node, bare, in its order: the sysfs writes and the
   * rtnetlink VF MAC pins (which {@link #bareSysfsWrites} leaves out).
   */
  @Benchmark
  public int bareNodeWrites() throws Exception {
    for (NodeWrite w : nodeWrites) {
      w.replay(node);
    }
    return nodeWrites.size();
  }
}
