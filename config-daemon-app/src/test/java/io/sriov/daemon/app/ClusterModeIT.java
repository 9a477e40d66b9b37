package io.sriov.daemon.app;

import static io.sriov.daemon.app.NodeDaemonAppTest.devices;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sriov.cluster.api.SriovNetwork;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodeState;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.nad.NadReconciler;
import io.sriov.cluster.testing.MockApiServer;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.VfGroupSpec;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon composition ({@link NodeDaemonApp}, as {@code bin/sriov-node} runs it) in cluster
 * mode on the SIMULATED built-in node against fabric8's mock API server with the project's CRDs: a
 * user's policy and the default SriovOperatorConfig are applied as YAML, the node state reaches
 * {@code Succeeded} with the rendered spec, the VFs exist on the node, the pool is served to a
 * kubelet stand-in, a SriovNetwork renders its NAD; then the daemon restarts while the API server
 * is away (the last applied state stays, the pool is served again at once) and catches up when it
 * is back.
 */
class ClusterModeIT {
  static final String NS = "sriov-network-operator";
  static final String NODE = "sim-0";
  static final PciAddress P0 = PciAddress.parse("0000:3b:00.0");
  static final PciAddress P1 = PciAddress.parse("0000:3b:00.1");

  static final String OPERATOR_CONFIG =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovOperatorConfig
      metadata:
        name: default
        namespace: sriov-network-operator
      spec:
        enableInjector: false
        enableOperatorWebhook: false
        logLevel: 2
      """;

  // both E810 ports of the built-in topology: 0000:3b:00.0 has 4 VFs (6 takes them: the drain
  // gate is asked), 0000:3b:00.1 has none
  static final String POLICY =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetworkNodePolicy
      metadata:
        name: e810-net
        namespace: sriov-network-operator
      spec:
        resourceName: e810net
        nodeSelector:
          feature.node.kubernetes.io/network-sriov.capable: "true"
        priority: 10
        numVfs: 6
        nicSelector:
          vendor: "8086"
          deviceID: "159b"
        deviceType: netdevice
      """;

  static final String NETWORK =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetwork
      metadata:
        name: e810-net-a
        namespace: sriov-network-operator
      spec:
        resourceName: e810net
        networkNamespace: apps
        vlan: 100
        ipam: '{"type": "host-local", "subnet": "10.56.217.0/24"}'
      """;

  static final NodeStateSpec RENDERED =
      NodeStateSpec.of(
          List.of(
              new InterfaceSpec(P0.toString(), 6, 0, "ens1f0", "", "", List.of(group()), false),
              new InterfaceSpec(P1.toString(), 6, 0, "ens1f1", "", "", List.of(group()), false)));

  static VfGroupSpec group() {
    return new VfGroupSpec("e810net", "netdevice", "0-5", "e810-net", 0, false, "");
  }

  @TempDir Path tmp;
  MockApiServer server;
  KubernetesClient admin;
  SimulatedNode node;
  Path kubeconfig;
  Path kubelet;
  Path registry;
  int metricsPort;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void cluster() throws IOException {
    server = MockApiServer.start();
    admin = server.client();
    for (String ns : List.of(NS, "apps")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    admin
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .withLabels(
                    Map.of(
                        "node-role.kubernetes.io/worker",
                        "",
                        "kubernetes.io/os",
                        "linux",
                        "feature.node.kubernetes.io/network-sriov.capable",
                        "true"))
                .endMetadata()
                .build())
        .create();
    kubeconfig = server.writeKubeconfig(tmp.resolve("kubeconfig"));
    node = SimulatedNodes.open(Topology.builtIn());
    kubelet = tmp.resolve("kubelet");
    registry = Files.createDirectories(kubelet.resolve("plugins_registry"));
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
  }

  @AfterEach
  void close() {
    node.close();
    server.close();
  }

  /** A serving daemon in cluster mode on the test's node, on its own thread. */
  final class Daemon implements AutoCloseable {
    final CountDownLatch stop = new CountDownLatch(1);
    final AtomicInteger code = new AtomicInteger(-1);
    final Thread thread;

    Daemon() {
      List<String> args =
          List.of(
              "--simulated-node",
              "--node-name",
              NODE,
              "--kubeconfig",
              kubeconfig.toString(),
              "--state-dir",
              tmp.resolve("state").toString(),
              "--kubelet-dir",
              kubelet.toString(),
              "--cni-socket",
              "",
              "--metrics-bind-address",
              "127.0.0.1",
              "--metrics-port",
              String.valueOf(metricsPort));
      thread =
          new Thread(
              () ->
                  code.set(
                      NodeDaemonApp.run(
                          args,
                          Map.of("NAMESPACE", NS),
                          new PrintStream(
                              new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                          new PrintStream(err, true, StandardCharsets.UTF_8),
                          cmd -> new NodeDaemonAppTest.Unclosed(node),
                          stop::await)),
              "daemon-" + NODE);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop.countDown();
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(thread.isAlive()).as("daemon stopped").isFalse();
      assertThat(code.get()).as(err()).isZero();
    }
  }

  @Test
  void aPolicyCreatesVfsThePoolIsServedANetworkRendersItsNadAndARestartWithoutApiServerKeepsIt()
      throws Exception {
    try (UnixTransport transport = new UnixTransport()) {
      PluginWatcherStandIn kubeletStandIn = new PluginWatcherStandIn(transport, registry);
      Path pool = registry.resolve("openshift.io_e810net.sock");

      try (Daemon daemon = new Daemon()) {
        // the first pass only observes: the node state shows the node as it is, nothing applied
        awaitTrue(
            "node state published",
            () -> state() != null && !state().getStatus().interfaces().isEmpty());
        assertThat(state().getStatus().interfaces())
            .anySatisfy(
                i -> {
                  assertThat(i.pciAddress()).isEqualTo(P0.toString());
                  assertThat(i.numVfs()).isEqualTo(4);
                });
        assertThat(state().getMetadata().getOwnerReferences())
            .singleElement()
            .satisfies(o -> assertThat(o.getKind()).isEqualTo("Node"));
        assertThat(numVfs(P0)).isEqualTo("4");
        assertThat(numVfs(P1)).isEqualTo("0");
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body())
            .contains(
                "no desired state from the API server applied yet (cluster mode, node sim-0)");

        apply(OPERATOR_CONFIG, SriovOperatorConfig.class);
        apply(POLICY, SriovNetworkNodePolicy.class);

        awaitTrue(
            "Succeeded with the rendered spec",
            () ->
                state().getSpec().equals(RENDERED)
                    && state().getStatus().syncStatus().equals("Succeeded"));
        assertThat(numVfs(P0)).isEqualTo("6");
        assertThat(numVfs(P1)).isEqualTo("6");
        assertThat(state().getStatus().interfaces())
            .filteredOn(i -> i.pciAddress().startsWith("0000:3b:00."))
            .allSatisfy(i -> assertThat(i.vfs()).hasSize(6));

        awaitTrue("pool socket", () -> Files.exists(pool));
        kubeletStandIn.registerAll();
        assertThat(devices(transport, pool))
            .hasSize(12)
            .containsAll(vfsOf(P0))
            .containsAll(vfsOf(P1));
        awaitTrue("ready", () -> get("/readyz").statusCode() == 200);
        awaitTrue("API server reachable", () -> metric("sriov_apiserver_reachable").equals("1.0"));
        // the drain's series are registered up front: results that never happened show as 0
        assertThat(get("/metrics").body())
            .contains("sriov_drain_state{state=\"idle\"} 1.0\n")
            .contains("sriov_drain_duration_seconds_count{result=\"timed_out\"}")
            .contains("sriov_drain_evictions_total{result=\"refused\"}");

        apply(NETWORK, SriovNetwork.class);
        awaitTrue("NAD rendered", () -> nad("apps", "e810-net-a") != null);
        GenericKubernetesResource nad = nad("apps", "e810-net-a");
        assertThat(nad.getMetadata().getAnnotations())
            .containsEntry("k8s.v1.cni.cncf.io/resourceName", "openshift.io/e810net");
        JsonNode config =
            new ObjectMapper()
                .readTree(
                    (String) ((Map<?, ?>) nad.getAdditionalProperties().get("spec")).get("config"));
        assertThat(config.path("type").asText()).isEqualTo("sriov");
        assertThat(config.path("name").asText()).isEqualTo("e810-net-a");
        assertThat(config.path("vlan").asInt()).isEqualTo(100);
        assertThat(config.path("ipam").path("subnet").asText()).isEqualTo("10.56.217.0/24");
      }

      // restart while the API server is away: the state last applied stays, its pool is served
      server.stop();
      err.reset();
      try (Daemon daemon = new Daemon()) {
        awaitTrue("pool served again", () -> Files.exists(pool));
        kubeletStandIn.registerAll();
        assertThat(devices(transport, pool)).hasSize(12);
        assertThat(numVfs(P0)).isEqualTo("6");
        assertThat(numVfs(P1)).isEqualTo("6");
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body())
            .contains(
                "no desired state from the API server applied yet (cluster mode, node sim-0)");
        assertThat(metric("sriov_apiserver_reachable")).isEqualTo("0.0");

        server.restart();
        awaitTrue("ready once the API server is back", () -> get("/readyz").statusCode() == 200);
        awaitTrue(
            "API server reachable again", () -> metric("sriov_apiserver_reachable").equals("1.0"));
        awaitTrue(
            "Succeeded published again",
            () -> state().getStatus().syncStatus().equals("Succeeded"));
        assertThat(state().getSpec()).isEqualTo(RENDERED);
        assertThat(numVfs(P0)).isEqualTo("6");
        assertThat(devices(transport, pool)).hasSize(12);
      }
    }
  }

  /** The value of an unlabelled series in the daemon's {@code /metrics}. */
  String metric(String name) {
    return get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + name));
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  <T extends HasMetadata> void apply(String yaml, Class<T> type) {
    admin.resource(Serialization.unmarshal(yaml, type)).create();
  }

  SriovNetworkNodeState state() {
    return admin.resources(SriovNetworkNodeState.class).inNamespace(NS).withName(NODE).get();
  }

  GenericKubernetesResource nad(String ns, String name) {
    return admin.genericKubernetesResources(NadReconciler.NAD).inNamespace(ns).withName(name).get();
  }

  String numVfs(PciAddress pf) throws IOException {
    return Files.readString(node.root().pciAttribute(pf, "sriov_numvfs")).trim();
  }

  List<String> vfsOf(PciAddress pf) throws IOException {
    return NodeDaemonAppTest.vfsOf(node, pf);
  }

  HttpResponse<String> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void awaitTrue(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (cond.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not there yet (the listener starting, the API server restarting): poll again
      }
      Thread.sleep(100);
    }
    assertThat(cond.getAsBoolean()).as(what).isTrue();
  }
}
