package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.cni.server.testing.WireClient;
import io.sriov.cni.server.wire.CniAnswer;
import io.sriov.cni.server.wire.CniCall;
import io.sriov.core.testing.Prerequisites;
import io.sriov.daemon.app.NodeDaemonAppTest.Unclosed;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serving {@code sriov-node} on the SIMULATED node serves the CNI plugins on its socket (root:
 * the server answers root clients only, and this test is its client).
 */
class NodeDaemonCniIT {
  @TempDir Path tmp;
  SimulatedNode node;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void open() throws IOException {
    Prerequisites.require(
        Prerequisites.isRoot(), "root", "the CNI server answers root clients only (SO_PEERCRED)");
    node = SimulatedNodes.open(Topology.builtIn());
  }

  @AfterEach
  void close() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aServingRunServesTheSriovPluginOnTheCniSocketUntilStopped() throws Exception {
    Path socket = tmp.resolve("run/sriov-node/cni.sock");
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger(-1);
    Thread daemon = serve(socket, List.of(), stop, code);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(socket).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
          .isEqualTo("rw-------");

      // the CNI server starts before the first apply: the DEL below needs that apply's VF 1
      NodeDaemonAppTest.awaitTrue(
          "the first pass reported",
          () -> err.toString(StandardCharsets.UTF_8).contains("serving the device plugin"));
      String netconf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"sriov\",\"deviceID\":\"0000:3c:00.1\"}";
      CniAnswer del =
          call(
              socket,
              new CniCall(
                  "sriov",
                  Map.of(
                      "CNI_COMMAND", "DEL",
                      "CNI_CONTAINERID", "gone-pod",
                      "CNI_NETNS", "",
                      "CNI_IFNAME", "net1",
                      "CNI_PATH", "/usr/lib/cni"),
                  netconf.getBytes(StandardCharsets.UTF_8)));
      assertThat(del.exitStatus())
          .as(new String(del.stdout(), StandardCharsets.UTF_8) + new String(del.stderr()))
          .isZero();
      assertThat(del.stdout()).isEmpty();

      CniAnswer bond =
          call(socket, new CniCall("bond", Map.of("CNI_COMMAND", "VERSION"), new byte[0]));
      assertThat(bond.exitStatus()).isZero();
      assertThat(new String(bond.stdout(), StandardCharsets.UTF_8)).contains("supportedVersions");
      CniAnswer other =
          call(socket, new CniCall("macvlan", Map.of("CNI_COMMAND", "VERSION"), new byte[0]));
      assertThat(new String(other.stdout(), StandardCharsets.UTF_8))
          .contains("has no plugin \\\"macvlan\\\" (it serves: bond, sriov)");
    } finally {
      stop.countDown();
      daemon.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(code.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("sriov-node: serving CNI calls on " + socket);
    assertThat(socket).doesNotExist();
  }

  @Test
  void withoutPoolsTheDaemonServesCniCallsAndTheDevicePluginFollowsTheFirstAndLastPool()
      throws Exception {
    Path socket = tmp.resolve("run/sriov-node/cni.sock");
    Path registry = Files.createDirectories(tmp.resolve("kubelet/plugins_registry"));
    Path file = tmp.resolve("node-state.yaml");
    String empty =
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetworkNodeState
        metadata:
          name: simulated-node
        spec: {}
        """;
    String example;
    try (InputStream in = NodeDaemonApp.class.getResourceAsStream(NodeDaemonApp.EXAMPLE_STATE)) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(file, empty);
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger(-1);
    Thread daemon = serve(socket, List.of("--node-state=" + file), stop, code);
    try {
      NodeDaemonAppTest.awaitTrue("the CNI socket", () -> Files.exists(socket));
      CniAnswer version =
          call(socket, new CniCall("sriov", Map.of("CNI_COMMAND", "VERSION"), new byte[0]));
      assertThat(version.exitStatus()).isZero();
      assertThat(new String(version.stdout(), StandardCharsets.UTF_8))
          .contains("supportedVersions");
      NodeDaemonAppTest.awaitTrue(
          "the first pass reported",
          () -> err.toString(StandardCharsets.UTF_8).contains("no pools in the desired state"));
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains(
              "sriov-node: no pools in the desired state: the device plugin starts with the first"
                  + " pool");
      assertThat(sockets(registry)).isEmpty();

      Files.writeString(file, example);
      NodeDaemonAppTest.awaitTrue("3 pools registered", () -> sockets(registry).size() == 3);
      assertThat(sockets(registry))
          .containsExactly(
              "openshift.io_e810_netdevice.sock",
              "openshift.io_e810_p1_netdevice.sock",
              "openshift.io_e810_vfio.sock");

      Files.writeString(file, empty.replace("spec: {}", "spec:\n  interfaces: []"));
      NodeDaemonAppTest.awaitTrue("no pool left", () -> sockets(registry).isEmpty());
      CniAnswer still =
          call(socket, new CniCall("bond", Map.of("CNI_COMMAND", "VERSION"), new byte[0]));
      assertThat(still.exitStatus()).as("the CNI server outlives the device plugin").isZero();
    } finally {
      stop.countDown();
      daemon.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(code.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(socket).doesNotExist();
  }

  /**
   * A serving {@code sriov-node} on the test's node in a started thread, with {@code flags} after
   * {@code --simulated-node}, until {@code stop}; its exit code lands in {@code code}.
   */
  Thread serve(Path socket, List<String> flags, CountDownLatch stop, AtomicInteger code) {
    List<String> args = new java.util.ArrayList<>(List.of("--simulated-node"));
    args.addAll(flags);
    args.addAll(
        List.of(
            "--state-dir=" + tmp.resolve("state"),
            "--kubelet-dir=" + tmp.resolve("kubelet"),
            "--cni-socket=" + socket));
    Thread daemon =
        new Thread(
            () ->
                code.set(
                    NodeDaemonApp.run(
                        args,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        cmd -> new Unclosed(node),
                        stop::await)));
    daemon.start();
    return daemon;
  }

  /**
   * The device plugin's sockets in kubelet's registration directory as kubelet sees them, sorted.
   */
  static List<String> sockets(Path registry) {
    try (Stream<Path> s = Files.list(registry)) {
      return s.map(p -> p.getFileName().toString())
          // kubelet's plugin watcher skips names starting with "." (a socket being bound)
          .filter(n -> n.endsWith(".sock") && !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shim's call, as {@link WireClient} makes it; the answer. */
  static CniAnswer call(Path socket, CniCall call) throws IOException {
    return WireClient.call(socket, call).answer();
  }
}
