package io.sriov.e2e.guest.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sriov.cluster.api.SriovNetwork;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.nad.NadReconciler;
import io.sriov.cluster.testing.MockApiServer;
import io.sriov.e2e.guest.Evidence;
import io.sriov.e2e.guest.GuestScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The daemon in cluster mode on the guest's real igb PFs: fabric8's mock API server in CRUD mode
 * with the project's CRDs (sriov-cluster's {@code testing.MockApiServer}) serves in this JVM on a
 * loopback port; the real {@code bin/sriov-node --node-name e2e-guest --kubeconfig ...} runs as its
 * own process against it. Creates the guest's Node (labels), the {@code default}
 * SriovOperatorConfig, a SriovNetworkNodePolicy for PF 0 (2 VFs, then 3) and a SriovNetwork;
 * records after each step the objects as the API server holds them (JSON) next to what sysfs says,
 * then deletes the policy and the network and stops the daemon with SIGTERM. Leaves the PFs without
 * VFs.
 */
public final class ClusterScenario implements GuestScenario {

  static final String NODE = "e2e-guest";
  static final String NS = "sriov-network-operator";
  static final String APPS = "apps";
  static final String PF0 = "0000:00:02.0";
  static final String PF1 = "0000:00:04.0";
  static final Duration DAEMON_START = Duration.ofMinutes(5);
  static final Duration CONVERGE = Duration.ofMinutes(3);

  static final ResourceDefinitionContext NODE_STATE =
      crd("SriovNetworkNodeState", "sriovnetworknodestates");
  static final ResourceDefinitionContext POLICY =
      crd("SriovNetworkNodePolicy", "sriovnetworknodepolicies");
  static final ResourceDefinitionContext NETWORK = crd("SriovNetwork", "sriovnetworks");
  static final ResourceDefinitionContext NAD = NadReconciler.NAD;

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

  /** The policy as a user writes it; {@code %s} = PF 0's netdev name, {@code %d} = numVfs. */
  static final String POLICY_YAML =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetworkNodePolicy
      metadata:
        name: igb-pf0
        namespace: sriov-network-operator
      spec:
        resourceName: igbvf
        nodeSelector:
          feature.node.kubernetes.io/network-sriov.capable: "true"
        priority: 10
        numVfs: %d
        nicSelector:
          vendor: "8086"
          deviceID: "10c9"
          pfNames: ["%s"]
        deviceType: netdevice
      """;

  static final String NETWORK_YAML =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetwork
      metadata:
        name: igb-net
        namespace: sriov-network-operator
      spec:
        resourceName: igbvf
        networkNamespace: apps
        vlan: 100
        spoofChk: "on"
        trust: "off"
        ipam: '{"type": "host-local", "subnet": "10.56.217.0/24"}'
      """;

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public void run(Evidence ev) throws Exception {
    String pf0 = netdev(PF0);
    ev.value("pf0", pf0);
    // the kernel rule the engine relies on: igbvf's probe needs the PF up (e2e README)
    ev.command("up.pf0", List.of("ip", "link", "set", "dev", pf0, "up"));
    Path dir = Files.createTempDirectory("sriov-e2e-cluster-");
    long t0 = System.nanoTime();
    try (MockApiServer server = MockApiServer.start()) {
      ev.value("api-server.start-ms", Long.toString(ms(t0)));
      KubernetesClient admin = server.client();
      Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
      for (String ns : List.of(NS, APPS)) {
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
                          "node-role.kubernetes.io/worker", "",
                          "kubernetes.io/os", "linux",
                          "feature.node.kubernetes.io/network-sriov.capable", "true"))
                  .endMetadata()
                  .build())
          .create();
      create(admin, OPERATOR_CONFIG, SriovOperatorConfig.class);
      List<String> command =
          List.of(
              Path.of("bin", "sriov-node").toAbsolutePath().toString(),
              "--node-name",
              NODE,
              "--namespace",
              NS,
              "--kubeconfig",
              kubeconfig.toString(),
              "--state-dir",
              dir.resolve("state").toString(),
              "--kubelet-dir",
              dir.resolve("kubelet").toString(),
              "--cni-socket",
              "",
              "--metrics-port",
              "0",
              "--log-level",
              "info");
      ev.lines("daemon.command", command);
      long started = System.nanoTime();
      Process daemon =
          new ProcessBuilder(command)
              .redirectOutput(ev.dir().resolve("daemon.out").toFile())
              .redirectError(ev.dir().resolve("daemon.err").toFile())
              .start();
      try {
        Cluster cluster = new Cluster(admin, daemon, ev);
        // the first pass only observes: the node as it is, published
        cluster.await(
            "first-state",
            DAEMON_START,
            s -> s.path("status").path("interfaces").size() > 0,
            started);

        create(admin, POLICY_YAML.formatted(2, pf0), SriovNetworkNodePolicy.class);
        cluster.converge("create", 2, pf0);

        create(admin, NETWORK_YAML, SriovNetwork.class);
        long nadAsked = System.nanoTime();
        GenericKubernetesResource nad =
            cluster.awaitObject(
                "nad",
                CONVERGE,
                () ->
                    admin
                        .genericKubernetesResources(NAD)
                        .inNamespace(APPS)
                        .withName("igb-net")
                        .get());
        ev.value("nad.json", Serialization.asJson(nad));
        ev.value("nad.ms", Long.toString(ms(nadAsked)));

        admin
            .genericKubernetesResources(POLICY)
            .inNamespace(NS)
            .withName("igb-pf0")
            .edit(
                p -> {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> spec =
                      (Map<String, Object>) p.getAdditionalProperties().get("spec");
                  spec.put("numVfs", 3);
                  return p;
                });
        cluster.converge("update", 3, pf0);

        admin.genericKubernetesResources(POLICY).inNamespace(NS).withName("igb-pf0").delete();
        long deleted = System.nanoTime();
        cluster.await(
            "delete",
            CONVERGE,
            s ->
                s.path("spec").path("interfaces").isEmpty()
                    && "Succeeded".equals(s.path("status").path("syncStatus").asText())
                    && pfStatus(s, PF0).path("numVfs").asInt() == 0, // numVfs 0 is omitted
            deleted);
        sysfs(ev, "delete");

        admin.genericKubernetesResources(NETWORK).inNamespace(NS).withName("igb-net").delete();
        long netDeleted = System.nanoTime();
        cluster.awaitObject(
            "nad-deleted",
            CONVERGE,
            () ->
                admin.genericKubernetesResources(NAD).inNamespace(APPS).withName("igb-net").get()
                        == null
                    ? "gone"
                    : null);
        ev.value("nad-deleted.ms", Long.toString(ms(netDeleted)));
      } finally {
        daemon.destroy(); // SIGTERM
        boolean ended = daemon.waitFor(60, TimeUnit.SECONDS);
        ev.value("daemon.exit", ended ? Integer.toString(daemon.exitValue()) : "still running");
        if (!ended) {
          daemon.destroyForcibly().waitFor();
        }
        ev.lines(
            "api-requests",
            server.requests().snapshot().entrySet().stream()
                .map(
                    e -> e.getKey().client() + " " + e.getKey().verbResource() + " " + e.getValue())
                .toList());
      }
    } finally {
      for (String pf : List.of(PF0, PF1)) {
        Path numVfs = Path.of("/sys/bus/pci/devices", pf, "sriov_numvfs");
        if (!Files.readString(numVfs).trim().equals("0")) {
          Files.writeString(numVfs, "0");
        }
      }
    }
  }

  /** The API server's objects, polled (the test's kubectl), with evidence at each step. */
  private static final class Cluster {
    private final KubernetesClient admin;
    private final Process daemon;
    private final Evidence ev;

    Cluster(KubernetesClient admin, Process daemon, Evidence ev) {
      this.admin = admin;
      this.daemon = daemon;
      this.ev = ev;
    }

    JsonNode state() {
      GenericKubernetesResource s =
          admin.genericKubernetesResources(NODE_STATE).inNamespace(NS).withName(NODE).get();
      return s == null ? null : Serialization.jsonMapper().valueToTree(s);
    }

    /** Waits for the policy's numVfs to be rendered, applied and reported; records the step. */
    void converge(String step, int numVfs, String pf0) throws Exception {
      long asked = System.nanoTime();
      await(
          step,
          CONVERGE,
          s -> {
            JsonNode spec = s.path("spec").path("interfaces");
            JsonNode pf = pfStatus(s, PF0);
            return spec.size() == 1
                && spec.get(0).path("numVfs").asInt() == numVfs
                && "Succeeded".equals(s.path("status").path("syncStatus").asText())
                && pf.path("numVfs").asInt() == numVfs
                && pf.path("Vfs").size() == numVfs;
          },
          asked);
      sysfs(ev, step);
    }

    void await(String step, Duration limit, Predicate<JsonNode> done, long since) throws Exception {
      long deadline = System.nanoTime() + limit.toNanos();
      JsonNode last = null;
      while (System.nanoTime() < deadline) {
        try {
          last = state();
        } catch (RuntimeException e) {
          last = null;
        }
        if (last != null && done.test(last)) {
          ev.value(step + ".ms", Long.toString(ms(since)));
          ev.value(step + ".state.json", last.toPrettyString());
          return;
        }
        if (!daemon.isAlive()) {
          throw new IllegalStateException(
              step + ": the daemon exited with " + daemon.exitValue() + "; last state " + last);
        }
        Thread.sleep(500);
      }
      ev.value(step + ".state.json", String.valueOf(last));
      throw new IllegalStateException(
          step + ": not converged within " + limit.toSeconds() + " s; last state " + last);
    }

    <T> T awaitObject(String step, Duration limit, java.util.function.Supplier<T> get)
        throws Exception {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        T t = get.get();
        if (t != null) {
          return t;
        }
        if (!daemon.isAlive()) {
          throw new IllegalStateException(step + ": the daemon exited with " + daemon.exitValue());
        }
        Thread.sleep(500);
      }
      throw new IllegalStateException(step + ": not within " + limit.toSeconds() + " s");
    }
  }

  static JsonNode pfStatus(JsonNode state, String pci) {
    for (JsonNode i : state.path("status").path("interfaces")) {
      if (pci.equals(i.path("pciAddress").asText())) {
        return i;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** What the kernel says after a step: sriov_numvfs and the VFs' addresses of pf0 and pf1. */
  static void sysfs(Evidence ev, String step) throws IOException {
    for (var pf : Map.of("pf0", PF0, "pf1", PF1).entrySet()) {
      Path dev = Path.of("/sys/bus/pci/devices", pf.getValue());
      ev.value(
          step + ".numvfs." + pf.getKey(), Files.readString(dev.resolve("sriov_numvfs")).trim());
      try (Stream<Path> links = Files.list(dev)) {
        ev.lines(
            step + ".virtfn." + pf.getKey(),
            links
                .filter(p -> p.getFileName().toString().startsWith("virtfn"))
                .sorted()
                .map(p -> read(p))
                .toList());
      }
    }
  }

  private static String read(Path link) {
    try {
      return Files.readSymbolicLink(link).getFileName().toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T extends HasMetadata> void create(
      KubernetesClient admin, String yaml, Class<T> type) {
    admin.resource(Serialization.unmarshal(yaml, type)).create();
  }

  private static ResourceDefinitionContext crd(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("sriovnetwork.openshift.io")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  static String netdev(String pci) throws IOException {
    try (Stream<Path> names = Files.list(Path.of("/sys/bus/pci/devices", pci, "net"))) {
      return names.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
