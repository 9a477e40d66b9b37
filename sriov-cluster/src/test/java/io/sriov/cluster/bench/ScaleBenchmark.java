package io.sriov.cluster.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.cluster.api.SriovNetworkNicSelector;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodeState;
import io.sriov.cluster.drain.ClusterDrainGate;
import io.sriov.cluster.drain.DrainMetrics;
import io.sriov.cluster.testing.ApiRequestCounter;
import io.sriov.cluster.testing.ApiRequestCounter.Key;
import io.sriov.cluster.testing.FakeCluster;
import io.sriov.cluster.testing.MockApiServer;
import io.sriov.cluster.testing.NodePolicies;
import io.sriov.cluster.testing.SimulatedDaemon;
import io.sriov.core.retry.Backoff;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The scale benchmark of issue #19: N daemons, each on its own small simulated node (one PF, 16
 * VFs) with its own API client, the cluster agent and the real drain gate, in one JVM against
 * fabric8's mock API server; the device plugin and kubelet are not there (kubelet's PodResources is
 * {@link FakeCluster}'s map). For each N it measures, counting requests at the server ({@link
 * ApiRequestCounter}, by the daemons' {@code User-Agent}):
 *
 * <ol>
 *   <li>{@code create}: a policy selecting every node appears (4 VFs): time until every
 *       SriovNetworkNodeState has the new spec and {@code Succeeded}; requests per node in the
 *       burst (from the change until every node converged and the daemons went quiet) and in an
 *       idle window after it;
 *   <li>{@code update}: the policy goes to 6 VFs (no pod holds a VF: no drain);
 *   <li>{@code drain}: a pool of all nodes with {@code maxUnavailable: 10%}, a pod on every node
 *       holding VF 0, the policy goes to 8 VFs: every node drains (cordon, evict through the
 *       Eviction API, apply, uncordon); a watch of the Node objects keeps the most cordoned at
 *       once, which must never exceed the pool's slots.
 * </ol>
 *
 * Run by {@code sriov-cluster/bench/scale.sh}; the report (markdown) goes to stdout and to the file
 * given. Not part of the test run: the targets are judged in the report.
 */
public final class ScaleBenchmark {
  static final String NS = "sriov-network-operator";
  static final String DAEMON_AGENT = "sriov-node/";
  static final String RESOURCE = "bench_net";
  static final String PF = "0000:3b:00.0";
  static final Map<String, String> LABELS =
      Map.of("node-role.kubernetes.io/worker", "", "kubernetes.io/os", "linux", "pool", "bench");
  static final Duration CONVERGE_TARGET = Duration.ofSeconds(30);
  static final Duration GIVE_UP = Duration.ofMinutes(5);
  static final int START_BATCH = 10;

  private final Path work;
  private final Duration quiet;
  private final Duration idle;
  private final StringBuilder report = new StringBuilder();

  ScaleBenchmark(Path work, Duration quiet, Duration idle) {
    this.work = work;
    this.quiet = quiet;
    this.idle = idle;
  }

  /** One change and what it cost. */
  record Change(
      String name,
      int nodes,
      Duration converged,
      Map<String, Long> burst,
      long burstMaxPerNode,
      Map<String, Long> idle,
      int maxCordoned,
      int slots) {
    long burstTotal() {
      return burst.values().stream().mapToLong(Long::longValue).sum();
    }

    long idleTotal() {
      return idle.values().stream().mapToLong(Long::longValue).sum();
    }

    double perNode() {
      return (double) burstTotal() / nodes;
    }

    long lists() {
      return burst.entrySet().stream()
          .filter(e -> e.getKey().startsWith("list "))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    long idleWrites() {
      return idle.entrySet().stream()
          .filter(e -> !e.getKey().startsWith("get ") && !e.getKey().startsWith("list "))
          .filter(e -> !e.getKey().startsWith("watch "))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  /** The N daemons of one run and the cluster around them. */
  private final class Cluster implements AutoCloseable {
    final int n;
    final MockApiServer server = MockApiServer.start();
    final KubernetesClient admin = server.client();
    final FakeCluster fake = FakeCluster.on(server);
    final ScheduledExecutorService renewer = Executors.newScheduledThreadPool(2);
    final List<SimulatedDaemon> daemons = new ArrayList<>();
    final SharedIndexInformer<SriovNetworkNodeState> states;

    Cluster(int n) throws IOException, InterruptedException {
      this.n = n;
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      fake.operatorConfig(false);
      for (int i = 0; i < n; i++) {
        fake.node(name(i), LABELS);
      }
      states = admin.resources(SriovNetworkNodeState.class).inNamespace(NS).inform();
      Path dir = work.resolve("n" + n);
      for (int i = 0; i < n; i++) {
        String name = name(i);
        KubernetesClient own = server.newClient(DAEMON_AGENT + name);
        ClusterDrainGate gate =
            new ClusterDrainGate(
                own,
                fake.podResources(name),
                ClusterDrainGate.Settings.defaults(name, NS, "openshift.io"),
                new DrainMetrics(new SimpleMeterRegistry()),
                renewer,
                Clock.systemUTC());
        gate.recover();
        SimulatedDaemon d =
            new SimulatedDaemon(
                dir.resolve(name),
                name,
                topology(name),
                own,
                NS,
                gate,
                new Backoff.Delays(Duration.ofSeconds(1), Duration.ofSeconds(8)));
        daemons.add(d);
      }
      // a rolling start, as a DaemonSet rolls out: a batch at a time, each watching before the next
      for (int from = 0; from < n; from += START_BATCH) {
        List<SimulatedDaemon> batch = daemons.subList(from, Math.min(n, from + START_BATCH));
        batch.forEach(SimulatedDaemon::start);
        awaitWatching(batch);
      }
    }

    /**
     * Until every agent's informers watch: the mock has no watch history, so a change made while an
     * informer relists after a timeout would be lost to it (a real server replays it).
     */
    void awaitWatching(List<SimulatedDaemon> which) throws InterruptedException {
      long t0 = System.nanoTime();
      while (!which.stream().allMatch(d -> d.agent.watching())) {
        if (System.nanoTime() - t0 > GIVE_UP.toNanos()) {
          throw new IllegalStateException(
              "informers not watching after "
                  + GIVE_UP.toMinutes()
                  + " min: "
                  + which.stream().filter(d -> !d.agent.watching()).map(d -> d.name).toList());
        }
        Thread.sleep(50);
      }
    }

    static String name(int i) {
      return "node-%03d".formatted(i);
    }

    /** Applies {@code policy} and measures until {@code done} holds for every node's state. */
    Change change(String what, Runnable apply, Predicate<SriovNetworkNodeState> done, int slots)
        throws InterruptedException {
      awaitWatching(daemons);
      try (var cordons = new FakeCluster.CordonWatch(admin)) {
        ApiRequestCounter counter = server.requests();
        Map<Key, Long> before = counter.snapshot();
        long t0 = System.nanoTime();
        apply.run();
        awaitAll(done, t0);
        Duration converged = Duration.ofNanos(System.nanoTime() - t0);
        Map<Key, Long> burstEnd = quietAfter(counter);
        Thread.sleep(idle.toMillis());
        Map<Key, Long> idleEnd = counter.snapshot();
        Map<Key, Long> burst = daemonsOnly(ApiRequestCounter.since(before, burstEnd));
        Map<Key, Long> idleCounts = daemonsOnly(ApiRequestCounter.since(burstEnd, idleEnd));
        Map<String, Long> perNode = new HashMap<>();
        burst.forEach((k, v) -> perNode.merge(k.client(), v, Long::sum));
        return new Change(
            what,
            n,
            converged,
            byVerbResource(burst),
            perNode.values().stream().mapToLong(Long::longValue).max().orElse(0),
            byVerbResource(idleCounts),
            cordons.maxCordonedAtOnce(),
            slots);
      }
    }

    private void awaitAll(Predicate<SriovNetworkNodeState> done, long t0)
        throws InterruptedException {
      while (true) {
        List<SriovNetworkNodeState> all = states.getStore().list();
        if (all.size() == n && all.stream().allMatch(done)) {
          return;
        }
        if (System.nanoTime() - t0 > GIVE_UP.toNanos()) {
          long ok = all.stream().filter(done).count();
          String stuck =
              all.stream()
                  .filter(done.negate())
                  .map(ScaleBenchmark::describe)
                  .collect(Collectors.joining("\n  "));
          String handed =
              daemons.stream()
                  .map(d -> d.name + " handed=" + d.desiredHanded() + " deferred=" + d.deferred())
                  .collect(Collectors.joining(", "));
          throw new IllegalStateException(
              "gave up after %d min: %d of %d nodes done; not done:%n  %s%ndaemons: %s"
                  .formatted(GIVE_UP.toMinutes(), ok, n, stuck, handed));
        }
        Thread.sleep(20);
      }
    }

    /** Waits until no daemon request for {@link #quiet}: the end of the change's burst. */
    private Map<Key, Long> quietAfter(ApiRequestCounter counter) throws InterruptedException {
      Map<Key, Long> last = daemonsOnly(counter.snapshot());
      while (true) {
        Thread.sleep(quiet.toMillis());
        Map<Key, Long> now = counter.snapshot();
        Map<Key, Long> daemonsNow = daemonsOnly(now);
        if (daemonsNow.equals(last)) {
          return now;
        }
        last = daemonsNow;
      }
    }

    /** A running pod on every node holding its VF 0, evictable through the Eviction API. */
    void podsOnVf0() {
      for (SriovNetworkNodeState s : states.getStore().list()) {
        InterfaceStatus pf =
            s.getStatus().interfaces().stream()
                .filter(i -> i.pciAddress().equals(PF))
                .findFirst()
                .orElseThrow();
        String vf0 = pf.vfs().get(0).pciAddress();
        String node = s.getMetadata().getName();
        fake.vfPod("app", "pod-" + node, node, "openshift.io/" + RESOURCE, vf0);
      }
    }

    @Override
    public void close() {
      daemons.forEach(SimulatedDaemon::close);
      renewer.shutdownNow();
      states.close();
      fake.close();
      server.close();
    }
  }

  static String describe(SriovNetworkNodeState s) {
    return s.getMetadata().getName()
        + " spec="
        + (s.getSpec() == null
            ? "-"
            : s.getSpec().interfaces().stream().map(i -> "numVfs " + i.numVfs()).toList())
        + " status="
        + (s.getStatus() == null
            ? "-"
            : s.getStatus().syncStatus()
                + " "
                + s.getStatus().interfaces().stream().map(i -> "numVfs " + i.numVfs()).toList()
                + " error="
                + s.getStatus().lastSyncError());
  }

  static Map<Key, Long> daemonsOnly(Map<Key, Long> counts) {
    Map<Key, Long> out = new TreeMap<>();
    counts.forEach(
        (k, v) -> {
          if (k.client().startsWith(DAEMON_AGENT)) {
            out.put(k, v);
          }
        });
    return out;
  }

  static Map<String, Long> byVerbResource(Map<Key, Long> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.merge(k.verbResource(), v, Long::sum));
    return out;
  }

  static String topology(String name) {
    return """
        # SIMULATION: scale benchmark node
        name: %s
        pfs:
          - address: "%s"
            vendor: "8086"
            device: "159b"
            vfDevice: "1889"
            driver: ice
            vfDriver: iavf
            totalVfs: 16
            numVfs: 0
            netdev: ens1f0
        """
        .formatted(name, PF);
  }

  static SriovNetworkNodePolicy policy(int numVfs) {
    return NodePolicies.policy(
        NS,
        "bench-net",
        10,
        Map.of("pool", "bench"),
        new SriovNetworkNicSelector(null, null, null, List.of("ens1f0"), null),
        numVfs,
        "netdevice",
        RESOURCE);
  }

  static Predicate<SriovNetworkNodeState> applied(int numVfs) {
    return s -> {
      if (s.getSpec() == null || s.getStatus() == null) {
        return false;
      }
      List<InterfaceSpec> spec = s.getSpec().interfaces();
      return spec.size() == 1
          && spec.get(0).numVfs() == numVfs
          && "Succeeded".equals(s.getStatus().syncStatus())
          && s.getStatus().interfaces().stream()
              .anyMatch(i -> i.pciAddress().equals(PF) && i.numVfs() == numVfs);
    };
  }

  /** The three changes on N nodes. */
  List<Change> run(int n) throws Exception {
    List<Change> out = new ArrayList<>();
    long start = System.nanoTime();
    try (Cluster c = new Cluster(n)) {
      c.awaitAll(
          s -> s.getStatus() != null && "Succeeded".equals(s.getStatus().syncStatus()), start);
      c.quietAfter(c.server.requests());
      System.err.printf(
          "n=%d: %d daemons started in %d s%n",
          n, n, Duration.ofNanos(System.nanoTime() - start).toSeconds());
      KubernetesClient admin = c.admin;
      var policies = admin.resources(SriovNetworkNodePolicy.class).inNamespace(NS);
      out.add(c.change("create", () -> policies.resource(policy(4)).create(), applied(4), 0));
      out.add(c.change("update", () -> edit(admin, 6), applied(6), 0));
      c.fake.poolConfig("bench", Map.of("pool", "bench"), new IntOrString("10%"));
      c.podsOnVf0();
      int slots = n / 10;
      out.add(c.change("drain", () -> edit(admin, 8), applied(8), slots));
      long evicted = c.fake.evictions.size();
      if (evicted != n) {
        throw new IllegalStateException("evictions: " + evicted + ", expected " + n);
      }
    }
    return out;
  }

  /** Changes the benchmark's policy to {@code numVfs} VFs. */
  private static void edit(KubernetesClient admin, int numVfs) {
    admin
        .resources(SriovNetworkNodePolicy.class)
        .inNamespace(NS)
        .withName("bench-net")
        .edit(
            p -> {
              SriovNetworkNodePolicy changed = policy(numVfs);
              changed.setMetadata(p.getMetadata());
              return changed;
            });
  }

  /** Largest heap used by the pools since the JVM started (or their reset). */
  static long peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  String render(Map<Integer, List<Change>> runs, String load) {
    StringBuilder r = report;
    r.append("# Scale benchmark (issue #19)\n\n");
    r.append("load average before: ").append(load).append("; ");
    r.append("max heap ")
        .append(Runtime.getRuntime().maxMemory() >> 20)
        .append(" MiB, peak heap used ")
        .append(peakHeapMiB())
        .append(" MiB, GC time ")
        .append(
            ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(g -> Math.max(0, g.getCollectionTime()))
                .sum())
        .append(" ms\n\n");
    r.append(
            "| N | change | converged (s) | requests/node (burst) | max one node | lists/node |"
                + " daemon requests while idle (")
        .append(idle.toSeconds())
        .append(" s) | max cordoned (slots) |\n");
    r.append("|---|---|---|---|---|---|---|---|\n");
    runs.forEach(
        (n, changes) -> {
          for (Change c : changes) {
            r.append(
                "| %d | %s | %.1f | %.1f | %d | %.2f | %d | %s |\n"
                    .formatted(
                        n,
                        c.name(),
                        c.converged().toMillis() / 1000.0,
                        c.perNode(),
                        c.burstMaxPerNode(),
                        (double) c.lists() / n,
                        c.idleTotal(),
                        c.slots() == 0 ? "-" : c.maxCordoned() + " (" + c.slots() + ")"));
          }
        });
    r.append("\nRequests per node in the burst, by verb and resource:\n\n");
    List<String> kinds =
        runs.values().stream()
            .flatMap(List::stream)
            .flatMap(c -> c.burst().keySet().stream())
            .distinct()
            .sorted()
            .toList();
    r.append("| N | change | ")
        .append(String.join(" | ", kinds))
        .append(" |\n|---|---|")
        .append("---|".repeat(kinds.size()))
        .append('\n');
    runs.forEach(
        (n, changes) -> {
          for (Change c : changes) {
            r.append("| ").append(n).append(" | ").append(c.name()).append(" | ");
            r.append(
                kinds.stream()
                    .map(k -> "%.2f".formatted(c.burst().getOrDefault(k, 0L) / (double) n))
                    .collect(Collectors.joining(" | ")));
            r.append(" |\n");
          }
        });
    r.append("\nTargets:\n\n");
    judge(runs);
    return r.toString();
  }

  private void judge(Map<Integer, List<Change>> runs) {
    List<Change> all = runs.values().stream().flatMap(List::stream).toList();
    Duration slowest =
        all.stream()
            .filter(c -> !c.name().equals("drain"))
            .map(Change::converged)
            .max(Duration::compareTo)
            .orElseThrow();
    target(
        "convergence of a policy change < 30 s (slowest: %.1f s)"
            .formatted(slowest.toMillis() / 1000.0),
        slowest.compareTo(CONVERGE_TARGET) < 0);
    long idleRequests = all.stream().mapToLong(Change::idleTotal).sum();
    target(
        "no daemon request while idle, so no status write (requests: %d)".formatted(idleRequests),
        idleRequests == 0);
    int smallest = runs.keySet().stream().min(Integer::compare).orElseThrow();
    int largest = runs.keySet().stream().max(Integer::compare).orElseThrow();
    for (int i = 0; i < runs.get(largest).size(); i++) {
      Change small = runs.get(smallest).get(i);
      Change big = runs.get(largest).get(i);
      // constant: at most 25 % (and one request) more per node at the largest N
      target(
          "%s: requests/node independent of N (%.1f at N=%d, %.1f at N=%d)"
              .formatted(big.name(), small.perNode(), smallest, big.perNode(), largest),
          big.perNode() <= small.perNode() * 1.25 + 1);
      target(
          "%s: no list storm (lists/node %.2f at N=%d, %.2f at N=%d)"
              .formatted(
                  big.name(),
                  (double) small.lists() / smallest,
                  smallest,
                  (double) big.lists() / largest,
                  largest),
          (double) big.lists() / largest <= (double) small.lists() / smallest * 1.25 + 0.5);
    }
    for (Change c : all) {
      if (c.slots() > 0) {
        target(
            "N=%d drain: never more than %d nodes cordoned at once (max %d)"
                .formatted(c.nodes(), c.slots(), c.maxCordoned()),
            c.maxCordoned() <= c.slots() && c.maxCordoned() > 0);
      }
    }
  }

  private void target(String what, boolean met) {
    report.append("- ").append(met ? "met" : "NOT MET").append(": ").append(what).append('\n');
  }

  /**
   * Arguments: {@code [--nodes 10,50,100] [--quiet-ms 1500] [--idle-s 10] [--report FILE] [--work
   * DIR]}.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: ScaleBenchmark [--nodes 10,50,100] [--quiet-ms 1500] [--idle-s 10]"
                + " [--report FILE] [--work DIR]; got: "
                + String.join(" ", args));
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    List<Integer> sizes =
        List.of(opts.getOrDefault("nodes", "10,50,100").split(",")).stream()
            .map(String::strip)
            .map(Integer::parseInt)
            .sorted()
            .toList();
    Path work =
        Path.of(
            opts.getOrDefault("work", Files.createTempDirectory("sriov-scale-bench").toString()));
    ScaleBenchmark bench =
        new ScaleBenchmark(
            work,
            Duration.ofMillis(Long.parseLong(opts.getOrDefault("quiet-ms", "1500"))),
            Duration.ofSeconds(Long.parseLong(opts.getOrDefault("idle-s", "10"))));
    String load = Files.readString(Path.of("/proc/loadavg")).strip();
    Map<Integer, List<Change>> runs = new LinkedHashMap<>();
    for (int n : sizes) {
      runs.put(n, bench.run(n));
      System.err.printf("n=%d done, peak heap so far %d MiB%n", n, peakHeapMiB());
    }
    String out = bench.render(runs, load);
    System.out.print(out);
    if (opts.containsKey("report")) {
      try {
        Files.writeString(Path.of(opts.get("report")), out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    System.exit(out.contains("NOT MET") ? 1 : 0);
  }
}
