package io.sriov.netlink.bench;

import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A link dump in each of {@code namespaces} throwaway namespaces on the real kernel (root), what
 * the metrics scrape does for igb VFs given to pods: {@code walk} visits them all on one thread
 * ({@link RtnlNamespaces#inEach}), {@code threadPerNamespace} opens rtnetlink in each on a fresh
 * thread as the scrape did before ({@link RtnlNamespaces#open}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NamespaceWalkBenchmark {
  @Param({"512"})
  public int namespaces;

  private KernelRtnlNamespaces kernel;
  private final List<NetNamespace> held = new ArrayList<>();
  private final List<Path> paths = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    kernel = new KernelRtnlNamespaces(new NetnsExecutor(), KernelRtnlNamespaces.PROCESS_NAMESPACE);
    for (int i = 0; i < namespaces; i++) {
      NetNamespace t = NetNamespace.createUnnamed();
      held.add(t);
      paths.add(t.path());
    }
  }

  @Benchmark
  public int walk() {
    int[] links = new int[1];
    List<Path> late =
        kernel.inEach(
            paths,
            Duration.ofMinutes(1),
            new RtnlNamespaces.Visitor() {
              @Override
              public void inside(Path ns, RtnlOperations rtnl) throws NetlinkException {
                links[0] += rtnl.links().size();
              }

              @Override
              public void failed(Path ns, NetlinkException e) {
                throw new IllegalStateException(ns + ": " + e.getMessage(), e);
              }
            });
    if (!late.isEmpty() || links[0] != namespaces) {
      throw new IllegalStateException("late=" + late.size() + " links=" + links[0]);
    }
    return links[0];
  }

  @Benchmark
  public int threadPerNamespace() throws NetlinkException {
    int links = 0;
    for (Path p : paths) {
      try (RtnlOperations rtnl = kernel.open(p)) {
        links += rtnl.links().size();
      }
    }
    if (links != namespaces) {
      throw new IllegalStateException("links=" + links);
    }
    return links;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws NetlinkException {
    for (NetNamespace ns : held) {
      ns.close();
    }
  }
}
