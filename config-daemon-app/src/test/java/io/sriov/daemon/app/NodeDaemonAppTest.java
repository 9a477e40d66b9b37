package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import io.sriov.node.ForwardingNode;
import io.sriov.node.Node;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sriov-node} end to end on the SIMULATED built-in node, through {@link NodeDaemonApp}. */
class NodeDaemonAppTest {
  static final PciAddress P0 = PciAddress.parse("0000:3b:00.0");
  static final PciAddress P1 = PciAddress.parse("0000:3b:00.1");

  @TempDir Path tmp;
  SimulatedNode node;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void open() throws IOException {
    node = SimulatedNodes.open(Topology.builtIn());
  }

  @AfterEach
  void close() {
    node.close();
  }

  int run(String... args) {
    return run(() -> {}, args);
  }

  int run(NodeDaemonApp.StopSignal stop, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--state-dir=" + tmp.resolve("state"));
    return NodeDaemonApp.run(
        all,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        cmd -> new Unclosed(node),
        stop);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  String numVfs(PciAddress pf) throws IOException {
    return Files.readString(node.root().pciAttribute(pf, "sriov_numvfs")).trim();
  }

  String mtu(String netdev) throws IOException {
    return Files.readString(node.root().sys().resolve("class/net/" + netdev + "/mtu")).trim();
  }

  @Test
  void planPrintsWhatWouldChangeAndChangesNothing() throws IOException {
    int code = run("--simulated-node", "--plan");

    assertThat(code).as(err()).isZero();
    assertThat(out()).contains("0000:3b:00.0").contains("numVfs 4 -> 8").contains("0000:3b:00.1");
    assertThat(numVfs(P0)).isEqualTo("4");
    assertThat(numVfs(P1)).isEqualTo("0");
    assertThat(mtu("ens1f0")).isEqualTo("1500");
    assertThat(tmp.resolve("state/owned-pfs.json")).doesNotExist();
  }

  @Test
  void onceWithJsonOutputPrintsOnlyTheObjectSucceededWithItsVfs() throws IOException {
    int code = run("--simulated-node", "--once", "--output", "json");

    assertThat(code).as(err()).isZero();
    JsonNode state = new ObjectMapper().readTree(out());
    assertThat(state.path("kind").asText()).isEqualTo("SriovNetworkNodeState");
    assertThat(state.path("status").path("syncStatus").asText()).isEqualTo("Succeeded");
    JsonNode p0 = pf(state, "0000:3b:00.0");
    assertThat(p0.path("numVfs").asInt()).isEqualTo(8);
    assertThat(p0.path("mtu").asInt()).isEqualTo(9000);
    assertThat(p0.path("Vfs")).hasSize(8);
    assertThat(p0.path("Vfs").get(0).path("mtu").asInt()).isEqualTo(9000);
    assertThat(p0.path("Vfs").get(4).path("driver").asText()).isEqualTo("vfio-pci");
    JsonNode p1 = pf(state, "0000:3b:00.1");
    assertThat(p1.path("Vfs")).hasSize(2);
    assertThat(p1.path("mtu").asInt()).isEqualTo(1600);
    assertThat(numVfs(P0)).isEqualTo("8");
    assertThat(numVfs(P1)).isEqualTo("2");
    assertThat(mtu("ens1f1")).isEqualTo("1600");
  }

  @Test
  void aSecondOnceChangesNothingAndSucceeds() {
    assertThat(run("--simulated-node", "--once")).as(err()).isZero();
    out.reset();
    err.reset();

    assertThat(run("--simulated-node", "--once")).as(err()).isZero();
    assertThat(out()).contains("Succeeded");
  }

  static JsonNode pf(JsonNode state, String address) {
    for (JsonNode i : state.path("status").path("interfaces")) {
      if (i.path("pciAddress").asText().equals(address)) {
        return i;
      }
    }
    throw new AssertionError("no status interface " + address + " in " + state);
  }

  @Test
  void aNodeStateTheValidatorRejectsExitsOneWithItsMessageAndChangesNothing() throws IOException {
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetworkNodeState
        metadata:
          name: n
        spec:
          interfaces:
            - pciAddress: "0000:3b:00.0"
              numVfs: 300
        """);

    int code = run("--simulated-node", "--once", "--node-state", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "sriov-node: invalid SriovNetworkNodeState: spec.interfaces[0] 0000:3b:00.0: numVfs 300:"
                + " above sriov_totalvfs 256\n");
    assertThat(out()).contains("Failed");
    assertThat(numVfs(P0)).isEqualTo("4");
    assertThat(tmp.resolve("state/owned-pfs.json")).doesNotExist();
  }

  @Test
  void aMalformedNodeStateFileExitsOneNamingTheFileAndTheField() throws IOException {
    Path file = tmp.resolve("typo.yaml");
    Files.writeString(
        file,
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetworkNodeState
        spec:
          interfaces:
            - pciAddress: "0000:3b:00.0"
              numvfs: 8
        """);

    int code = run("--simulated-node", "--once", "--node-state", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .isEqualTo("sriov-node: " + file + ": spec.interfaces[0]: unknown field \"numvfs\"\n");
    assertThat(numVfs(P0)).isEqualTo("4");
  }

  @Test
  void aMissingNodeStateFileExitsOne() {
    Path file = tmp.resolve("absent.yaml");

    int code = run("--simulated-node", "--plan", "--node-state", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "sriov-node: cannot read node state file "
                + file
                + ": no such file or directory: "
                + file
                + "\n");
  }

  @Test
  void flagErrorsExitTwoWithTheUsageNamingTheFlag() {
    assertThat(run("--simulated-node", "--bogus")).isEqualTo(2);
    assertThat(err()).startsWith("sriov-node: unknown flag: --bogus\nUsage: sriov-node [flags]");
    err.reset();
    assertThat(run("--simulated-node", "--output", "xml")).isEqualTo(2);
    assertThat(err())
        .startsWith("sriov-node: flag --output takes table, json or yaml; got \"xml\"");
    err.reset();
    assertThat(run("--simulated-node", "--resource-prefix", "bad prefix")).isEqualTo(2);
    assertThat(err()).startsWith("sriov-node: flag --resource-prefix: ");
    err.reset();
    assertThat(run("--once")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "sriov-node: flag --node-state or --node-name is required (or --simulated-node,"
                + " --apply-saved)");
    err.reset();
    assertThat(run("--simulated-node", "--parallelism", "0")).isEqualTo(2);
    assertThat(err())
        .startsWith("sriov-node: flag --parallelism takes a number of PFs from 1 to 64; got \"0\"");
    assertThat(out()).isEmpty();
  }

  @Test
  void versionPrintsTheProjectVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out()).isEqualTo("sriov-node " + System.getProperty("project.version") + "\n");
    assertThat(System.getProperty("project.version")).matches("[0-9]+\\.[0-9]+\\.[0-9]+.*");
  }

  @Test
  void helpPrintsTheUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out()).isEqualTo(DaemonCommandLine.USAGE);
  }

  @Test
  void aServingRunRegistersOnePoolPerResourceNameWithExactlyItsGroupsVfs() throws Exception {
    Path kubelet = tmp.resolve("kubelet");
    Path registry = Files.createDirectories(kubelet.resolve("plugins_registry"));
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger(-1);
    Thread daemon =
        new Thread(
            () ->
                code.set(
                    run(
                        stop::await,
                        "--simulated-node",
                        "--metrics-port=0",
                        "--kubelet-dir",
                        kubelet.toString())));
    daemon.start();
    try (UnixTransport transport = new UnixTransport()) {
      PluginWatcherStandIn watcher = new PluginWatcherStandIn(transport, registry);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (watcher.sockets().size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(watcher.registerAll().stream().map(i -> i.getName()).sorted())
          .containsExactly(
              "openshift.io/e810_netdevice",
              "openshift.io/e810_p1_netdevice",
              "openshift.io/e810_vfio");
      assertThat(devices(transport, registry.resolve("openshift.io_e810_netdevice.sock")))
          .containsExactly("0000:3c:00.0", "0000:3c:00.1", "0000:3c:00.2", "0000:3c:00.3");
      assertThat(devices(transport, registry.resolve("openshift.io_e810_vfio.sock")))
          .containsExactly("0000:3c:00.4", "0000:3c:00.5", "0000:3c:00.6", "0000:3c:00.7");
      assertThat(devices(transport, registry.resolve("openshift.io_e810_p1_netdevice.sock")))
          .hasSize(2)
          .allSatisfy(id -> assertThat(id).isNotIn(vfsOf(P0)));
    } finally {
      stop.countDown();
      daemon.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(code.get()).as(err()).isZero();
    assertThat(err()).contains("sriov-node: serving the device plugin, kubelet dir " + kubelet);
    try (Stream<Path> left = Files.list(registry)) {
      assertThat(left).as("the plugin closed its sockets").isEmpty();
    }
  }

  @Test
  void aMetricsPortInUseStopsTheDaemonWithTheReason() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      int code =
          run(
              "--simulated-node",
              "--kubelet-dir=" + tmp.resolve("kubelet"),
              "--metrics-bind-address=127.0.0.1",
              "--metrics-port=" + port);
      assertThat(code).isEqualTo(1);
      assertThat(err())
          .contains(
              "sriov-node: flag --metrics-port: cannot listen on 127.0.0.1:"
                  + port
                  + ": Address already in use");
    }
  }

  @Test
  void applySavedReappliesTheLastAcceptedStateAfterAReboot() throws Exception {
    assertThat(run("--apply-saved", "--simulated-node")).as(err()).isZero();
    assertThat(err())
        .endsWith(
            "sriov-node: nothing to apply: no desired state saved in "
                + tmp.resolve("state/desired-node-state.yaml")
                + " (the daemon saves it at every apply)\n");
    assertThat(numVfs(P0)).isEqualTo("4");

    assertThat(run("--simulated-node", "--once")).as(err()).isZero();
    assertThat(numVfs(P0)).isEqualTo("8");
    assertThat(tmp.resolve("state/desired-node-state.yaml")).exists();
    // a reboot: the VFs are gone, the state dir stays
    node.kernel().write(node.root().pciAttribute(P0, "sriov_numvfs"), "0", Duration.ofSeconds(2));
    node.kernel().write(node.root().pciAttribute(P1, "sriov_numvfs"), "0", Duration.ofSeconds(2));
    out.reset();
    err.reset();

    assertThat(run("--apply-saved", "--simulated-node")).as(err()).isZero();

    assertThat(numVfs(P0)).isEqualTo("8");
    assertThat(numVfs(P1)).isEqualTo("2");
    assertThat(out()).contains("sync: Succeeded");
  }

  @Test
  void aServingRunRepairsDriftAndFollowsTheNodeStateFile() throws Exception {
    Path kubelet = tmp.resolve("kubelet");
    Path registry = Files.createDirectories(kubelet.resolve("plugins_registry"));
    Path file = tmp.resolve("node-state.yaml");
    String example;
    try (var in = NodeDaemonApp.class.getResourceAsStream(NodeDaemonApp.EXAMPLE_STATE)) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(file, example);
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger(-1);
    Thread daemon =
        new Thread(
            () ->
                code.set(
                    run(
                        stop::await,
                        "--simulated-node",
                        "--node-state",
                        file.toString(),
                        "--kubelet-dir",
                        kubelet.toString())));
    daemon.start();
    try (UnixTransport transport = new UnixTransport()) {
      PluginWatcherStandIn watcher = new PluginWatcherStandIn(transport, registry);
      awaitTrue("3 pools", () -> watcher.sockets().size() == 3);
      watcher.registerAll();
      Path netdevice = registry.resolve("openshift.io_e810_netdevice.sock");
      Path vfio = registry.resolve("openshift.io_e810_vfio.sock");

      // drift: someone removes PF 0's VFs; the daemon recreates them
      node.kernel().write(node.root().pciAttribute(P0, "sriov_numvfs"), "0", Duration.ofSeconds(2));
      awaitTrue("VFs recreated", () -> numVfsOrEmpty(P0).equals("8"));

      // a file the codec rejects changes nothing
      Files.writeString(file, example.replace("numVfs: 8", "numvfs: 8"));
      Thread.sleep(1500);
      assertThat(numVfs(P0)).isEqualTo("8");

      // fewer VFs: applied live, the pools follow
      Files.writeString(
          file,
          example
              .replace("numVfs: 8", "numVfs: 4")
              .replace("vfRange: \"0-3\"", "vfRange: \"0-1\"")
              .replace("vfRange: \"4-7\"", "vfRange: \"2-3\""));
      awaitTrue("applied", () -> numVfsOrEmpty(P0).equals("4"));
      awaitTrue("pool follows", () -> lists(transport, netdevice, "0000:3c:00.0", "0000:3c:00.1"));
      // the VFs the daemon removed (4-7) leave the vfio pool at once: no 5-min gone retention
      awaitTrue(
          "removed VFs dropped at once",
          () -> lists(transport, vfio, "0000:3c:00.2", "0000:3c:00.3"));
      assertThat(tmp.resolve("state/desired-node-state.yaml")).content().contains("numVfs: 4");
    } finally {
      stop.countDown();
      daemon.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(code.get()).as(err()).isZero();
  }

  String numVfsOrEmpty(PciAddress pf) {
    try {
      return numVfs(pf);
    } catch (IOException e) {
      return "";
    }
  }

  static void awaitTrue(String what, java.util.function.BooleanSupplier cond)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(cond.getAsBoolean()).as(what).isTrue();
  }

  List<String> vfsOf(PciAddress pf) throws IOException {
    return vfsOf(node, pf);
  }

  /** The PCI addresses of {@code pf}'s VFs on {@code node} (its {@code virtfn*} links). */
  static List<String> vfsOf(SimulatedNode node, PciAddress pf) throws IOException {
    try (Stream<Path> s = Files.list(node.root().pciDevice(pf))) {
      return s.filter(p -> p.getFileName().toString().startsWith("virtfn"))
          .map(
              p -> {
                try {
                  return p.toRealPath().getFileName().toString();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  /** Whether the pool at {@code socket} lists exactly {@code ids} (healthy or not). */
  static boolean lists(UnixTransport transport, Path socket, String... ids) {
    try {
      return devices(transport, socket).equals(List.of(ids));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> devices(UnixTransport transport, Path socket) throws InterruptedException {
    try (PluginClient client = new PluginClient(transport, socket)) {
      PluginClient.Watch watch = client.watch();
      return watch.next().getDevicesList().stream().map(d -> d.getID()).sorted().toList();
    }
  }

  /** The test's node, handed to the app, which must not close it (the test reads it after). */
  static final class Unclosed extends ForwardingNode {
    Unclosed(Node node) {
      super(node);
    }

    @Override
    public void close() {}
  }
}
