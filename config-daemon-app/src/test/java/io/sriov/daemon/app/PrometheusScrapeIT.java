package io.sriov.daemon.app;

import static io.sriov.deviceplugin.testing.PodResourcesStandIn.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sriov.cluster.drain.DrainMetrics;
import io.sriov.cni.server.wire.CniAnswer;
import io.sriov.cni.server.wire.CniCall;
import io.sriov.core.testing.Prerequisites;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import io.sriov.deviceplugin.testing.PodResourcesStandIn;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.VfStats;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon on the SIMULATED node scraped by a real Prometheus (Debian's {@code prometheus}
 * package, on loopback, storage in a temp dir): per-VF, pod-join, pool and apply series arrive with
 * their labels and values; {@code promtool check metrics} on the exposition; the chart's dashboard
 * and alert rules use only metric names of a real scrape (the CNI server's after a CNI call; the
 * drain's, which only a cluster-mode daemon exports, from {@link DrainMetrics} itself) and every
 * expression evaluates in Prometheus. A PodResources stand-in (kubelet's gRPC API) says which pod
 * holds which VF; a plugin-watcher stand-in registers the pools (readiness). Root: the CNI server
 * answers root clients only. (sriov-observability's AlertRulesTest runs {@code promtool check
 * rules} and {@code promtool test rules} on the alerts.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeIT {
  static final Path CHART_FILES = Path.of("..", "charts", "sriov-node", "files");
  static final PciAddress P0 = PciAddress.parse("0000:3b:00.0");
  static final VfStats TRAFFIC = new VfStats(1200, 340, 1_500_000, 42_000, 3, 7, 5, 1);

  /**
   * The built-in topology plus an igb PF (82576) with 2 VFs that the example state leaves alone:
   * its VFs count on their own netdevs, which have transmit errors (IFLA_VF_STATS has none).
   */
  static final String IGB_PF =
      """
        - address: "0000:05:00.0"
          vendor: "8086"
          device: "10c9"
          vfDevice: "10ca"
          driver: igb
          vfDriver: igbvf
          totalVfs: 7
          numVfs: 2
          netdev: enp5s0f0
          numaNode: 0
          speedMbps: 1000
      """;

  @TempDir static Path tmp;
  SimulatedNode node;
  PciAddress igbVf0;
  PciAddress igbVf1;
  PodResourcesStandIn kubelet;
  Thread daemon;
  final CountDownLatch stop = new CountDownLatch(1);
  final AtomicInteger code = new AtomicInteger(-1);
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  Process prometheus;
  int metricsPort;
  Path cniSocket;
  int prometheusPort;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    Prerequisites.require(
        Files.isExecutable(Path.of("/usr/bin/prometheus"))
            && Files.isExecutable(Path.of("/usr/bin/promtool")),
        "prometheus and promtool",
        "apt-get install prometheus (.ci/run installs it)");
    Prerequisites.require(
        Prerequisites.isRoot(), "root", "the CNI server answers root clients only (SO_PEERCRED)");
    Path topology = tmp.resolve("topology.yaml");
    try (InputStream builtIn = Topology.class.getResourceAsStream("builtin-topology.yaml")) {
      Files.writeString(
          topology, new String(builtIn.readAllBytes(), StandardCharsets.UTF_8) + IGB_PF);
    }
    Topology withIgb = Topology.load(topology);
    igbVf0 = withIgb.pfs().getLast().vfAddress(0);
    igbVf1 = withIgb.pfs().getLast().vfAddress(1);
    node = SimulatedNodes.open(withIgb);
    Path kubeletDir = tmp.resolve("kubelet");
    Files.createDirectories(kubeletDir.resolve("pod-resources"));
    Files.createDirectories(kubeletDir.resolve("plugins_registry"));
    kubelet = new PodResourcesStandIn(kubeletDir.resolve("pod-resources/kubelet.sock"));
    kubelet.answer(
        List.of(
            pod("ran", "du-0", "l1", "openshift.io/e810_netdevice", "0000:3c:00.1"),
            pod("ran", "dpdk-0", "fwd", "openshift.io/e810_vfio", "0000:3c:00.4", "0000:3c:00.5"),
            pod("default", "gpu", "cuda", "nvidia.com/gpu", "0000:17:00.0")));
    metricsPort = freePort();
    cniSocket = tmp.resolve("run/cni.sock");
    daemon =
        new Thread(
            () ->
                code.set(
                    NodeDaemonApp.run(
                        List.of(
                            "--simulated-node",
                            "--kubelet-dir=" + kubeletDir,
                            "--state-dir=" + tmp.resolve("state"),
                            "--metrics-port=" + metricsPort,
                            "--cni-socket=" + cniSocket,
                            "--metrics-bind-address=127.0.0.1"),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        cmd -> new NodeDaemonAppTest.Unclosed(node),
                        stop::await)));
    daemon.start();
    try (UnixTransport transport = new UnixTransport()) {
      PluginWatcherStandIn watcher =
          new PluginWatcherStandIn(transport, kubeletDir.resolve("plugins_registry"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (watcher.sockets().size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(get("/readyz").statusCode()).isEqualTo(503);
      assertThat(get("/readyz").body())
          .startsWith("device-plugin: not registered with kubelet: openshift.io/");
      watcher.registerAll();
      // kubelet calls Allocate when the pod is admitted; the pod then shows in PodResources
      try (PluginClient dp =
          new PluginClient(
              transport, kubeletDir.resolve("plugins_registry/openshift.io_e810_netdevice.sock"))) {
        dp.allocate(List.of(List.of("0000:3c:00.1")));
      }
    }
    node.network().setVfStats(P0, 1, TRAFFIC);
    node.network().setLinkStats(igbVf0, new LinkStats(50, 60, 5_000, 6_000, 0, 9, 0, 0));
    // a CNI DEL of a pod that is gone (success): the CNI server's latency series exist from then on
    long cniDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(cniSocket) && System.nanoTime() < cniDeadline) {
      Thread.sleep(50);
    }
    String netconf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"sriov\",\"deviceID\":\"0000:3c:00.2\"}";
    CniAnswer del =
        NodeDaemonCniIT.call(
            cniSocket,
            new CniCall(
                "sriov",
                Map.of(
                    "CNI_COMMAND", "DEL",
                    "CNI_CONTAINERID", "gone-pod",
                    "CNI_NETNS", "",
                    "CNI_IFNAME", "net1",
                    "CNI_PATH", "/usr/lib/cni"),
                netconf.getBytes(StandardCharsets.UTF_8)));
    assertThat(del.exitStatus()).as(new String(del.stderr(), StandardCharsets.UTF_8)).isZero();
    prometheusPort = freePort();
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: sriov-node
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(metricsPort));
    prometheus =
        new ProcessBuilder(
                "/usr/bin/prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile())
            .start();
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
    stop.countDown();
    if (daemon != null) {
      daemon.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(code.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void healthAndReadinessOnceRegistered() throws Exception {
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok (2 checks)\n");
    HttpResponse<String> live = get("/healthz");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("ok (1 check)\n");
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void prometheusSeesPerVfPodPoolAndApplySeries() throws Exception {
    JsonNode rx = query("sriov_vf_rx_bytes{pciAddr=\"0000:3c:00.1\"}");
    assertThat(rx).hasSize(1);
    JsonNode m = rx.get(0).get("metric");
    assertThat(m.get("pf").asText()).isEqualTo("ens1f0");
    assertThat(m.get("vf").asText()).isEqualTo("1");
    assertThat(m.get("numa_node").asText()).isEqualTo("0");
    assertThat(value(rx.get(0))).isEqualTo(1_500_000);
    assertThat(value(query("sriov_vf_tx_bytes{pciAddr=\"0000:3c:00.1\"}").get(0)))
        .isEqualTo(42_000);
    assertThat(value(query("sriov_vf_rx_packets{pciAddr=\"0000:3c:00.1\"}").get(0)))
        .isEqualTo(1200);
    assertThat(value(query("sriov_vf_tx_packets{pciAddr=\"0000:3c:00.1\"}").get(0))).isEqualTo(340);
    assertThat(value(query("sriov_vf_rx_dropped{pciAddr=\"0000:3c:00.1\"}").get(0))).isEqualTo(5);
    assertThat(value(query("sriov_vf_tx_dropped{pciAddr=\"0000:3c:00.1\"}").get(0))).isEqualTo(1);
    assertThat(query("count(sriov_vf_rx_bytes)").get(0).get("value").get(1).asText())
        .as("every VF with a host PF netdev: 8 + 2 + 2, and igb's 2 from their own netdevs")
        .isEqualTo("14");
    // transmit errors only where the source has them: igb's VF netdevs, not IFLA_VF_STATS
    JsonNode txErrors = query("sriov_vf_tx_errors");
    Map<String, Double> txErrorsByVf = new LinkedHashMap<>();
    txErrors.forEach(s -> txErrorsByVf.put(s.get("metric").get("pciAddr").asText(), value(s)));
    assertThat(txErrorsByVf)
        .containsExactlyInAnyOrderEntriesOf(Map.of(igbVf0.toString(), 9.0, igbVf1.toString(), 0.0));
    assertThat(txErrors.get(0).get("metric").get("pf").asText()).isEqualTo("enp5s0f0");
    assertThat(value(query("sriov_vf_tx_bytes{pciAddr=\"" + igbVf0 + "\"}").get(0)))
        .isEqualTo(6_000);

    JsonNode pods = query("sriov_kubepoddevice");
    Map<String, String> held = new LinkedHashMap<>();
    for (JsonNode s : pods) {
      JsonNode l = s.get("metric");
      held.put(
          l.get("pciAddr").asText(),
          l.get("namespace").asText()
              + "/"
              + l.get("pod").asText()
              + "/"
              + l.get("container").asText()
              + " "
              + l.get("dev_type").asText());
    }
    assertThat(held)
        .as("the GPU is not one of this node's VFs or pools: left out")
        .containsOnly(
            Map.entry("0000:3c:00.1", "ran/du-0/l1 openshift.io/e810_netdevice"),
            Map.entry("0000:3c:00.4", "ran/dpdk-0/fwd openshift.io/e810_vfio"),
            Map.entry("0000:3c:00.5", "ran/dpdk-0/fwd openshift.io/e810_vfio"));
    JsonNode joined =
        query("sriov_vf_rx_bytes * on (pciAddr) group_left (pod, namespace) sriov_kubepoddevice");
    assertThat(joined).hasSize(3);

    assertThat(byResource(query("sriov_pool_capacity")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "openshift.io/e810_netdevice", 4.0,
                "openshift.io/e810_vfio", 4.0,
                "openshift.io/e810_p1_netdevice", 2.0));
    assertThat(byResource(query("sriov_pool_healthy"))).hasSize(3);
    assertThat(byResource(query("sriov_pool_allocated")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "openshift.io/e810_netdevice", 1.0,
                "openshift.io/e810_vfio", 2.0,
                "openshift.io/e810_p1_netdevice", 0.0));

    assertThat(value(query("sriov_apply_duration_seconds_count{result=\"succeeded\"}").get(0)))
        .isEqualTo(1);
    assertThat(value(query("sriov_apply_failing").get(0))).isZero();
    assertThat(value(query("sriov_apply_vfs{pf=\"ens1f0\"}").get(0))).isEqualTo(8);
    assertThat(value(query("sriov_apply_vfs{pf=\"ens1f1\"}").get(0))).isEqualTo(2);
    assertThat(query("sriov_deviceplugin_devices")).hasSize(3);
  }

  @Test
  @Order(3)
  void promtoolAcceptsTheExpositionButForUpstreamsCamelCaseLabel() throws Exception {
    String exposition = get("/metrics").body();
    Path file = tmp.resolve("exposition.prom");
    Files.writeString(file, exposition);
    Process p =
        new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    // 0 clean, 3 lint problems, 1 parse error. The only lint left is upstream exporter's
    // `pciAddr` label, kept so existing dashboards and PromQL keep working.
    assertThat(exit).as(report).isIn(0, 3);
    Set<String> problems = new TreeSet<>(report.lines().filter(l -> !l.isBlank()).toList());
    Set<String> allowed = new TreeSet<>();
    for (String name :
        List.of(
            "sriov_vf_rx_bytes",
            "sriov_vf_tx_bytes",
            "sriov_vf_rx_packets",
            "sriov_vf_tx_packets",
            "sriov_vf_rx_dropped",
            "sriov_vf_tx_dropped",
            "sriov_vf_tx_errors",
            "sriov_kubepoddevice")) {
      allowed.add(name + " label names should be written in 'snake_case' not 'camelCase'");
    }
    assertThat(problems).isEqualTo(allowed);
  }

  @Test
  @Order(4)
  void dashboardAndAlertsUseOnlyExportedMetrics() throws Exception {
    Set<String> exported = new HashSet<>();
    for (JsonNode n : api("/api/v1/label/__name__/values")) {
      exported.add(n.asText());
    }
    assertThat(exported)
        .as("the CNI call above")
        .contains("sriov_cni_requests_seconds_bucket", "sriov_cni_refused_total");
    // the drain's and the API server's meters: registered by a cluster-mode daemon (--node-name)
    // only (ClusterModeIT scrapes them from such a daemon)
    PrometheusMeterRegistry cluster = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new DrainMetrics(cluster);
    ClusterMode.apiServerMeters(cluster, () -> true);
    Set<String> clusterNames = sampleNames(cluster.scrape());
    assertThat(clusterNames)
        .containsExactlyInAnyOrder(
            "sriov_drain_state",
            "sriov_drain_duration_seconds_count",
            "sriov_drain_duration_seconds_sum",
            "sriov_drain_duration_seconds_max",
            "sriov_drain_evictions_total",
            "sriov_apiserver_reachable");
    exported.addAll(clusterNames);

    // every panel shows something: each of its queries reads at least one metric, and only ones
    // the daemon exports
    JsonNode dashboard =
        new ObjectMapper().readTree(CHART_FILES.resolve("grafana-dashboard.json").toFile());
    List<String> dashboardExprs = new ArrayList<>();
    Set<String> panelTitles = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      String title = panel.get("title").asText();
      if (panel.get("type").asText().equals("row")) {
        assertThat(panel.has("targets")).as(title).isFalse();
        continue;
      }
      panelTitles.add(title);
      assertThat(panel.get("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        String expr = target.get("expr").asText();
        assertThat(PromQlNames.metricNames(expr))
            .as(title + ": " + expr)
            .isNotEmpty()
            .allSatisfy(n -> assertThat(exported).as(title + ": " + n).contains(n));
        dashboardExprs.add(expr);
      }
    }
    assertThat(panelTitles).contains("Drain state", "Drain duration", "API server reachable");
    List<String> exprs = new ArrayList<>(dashboardExprs);
    dashboard.findValues("definition").forEach(e -> exprs.add(e.asText()));
    JsonNode rule =
        new YAMLMapper().readTree(CHART_FILES.resolve("prometheus-rules.yaml").toFile());
    assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
    List<String> ruleExprs = new ArrayList<>();
    rule.get("spec").findValues("expr").forEach(e -> ruleExprs.add(e.asText()));
    exprs.addAll(ruleExprs);
    assertThat(exprs).hasSizeGreaterThan(20);
    Set<String> used = new TreeSet<>();
    for (String e : exprs) {
      used.addAll(PromQlNames.metricNames(e));
    }
    assertThat(used)
        .contains(
            "sriov_cni_requests_seconds_bucket",
            "sriov_drain_state",
            "sriov_drain_duration_seconds_sum",
            "sriov_apiserver_reachable")
        .allSatisfy(n -> assertThat(exported).as(n).contains(n));
    // every expression evaluates on the real data (syntax and types); Grafana's variables as a
    // dashboard user's "All" and a 1-minute rate interval
    for (String e : ruleExprs) {
      api("/api/v1/query?query=" + URLEncoder.encode(e, StandardCharsets.UTF_8));
    }
    for (String e : dashboardExprs) {
      String promql = e.replace("$instance", ".*").replace("$__rate_interval", "1m");
      api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }
    // the CNI panels show the DEL above
    assertThat(
            query("sum by (command, result) (sriov_cni_requests_seconds_count{command=\"DEL\"})"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("metric").get("result").asText()).isEqualTo("success"));
  }

  /** The sample names of an exposition in the Prometheus text format. */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }

  static Map<String, Double> byResource(JsonNode result) {
    Map<String, Double> m = new LinkedHashMap<>();
    result.forEach(s -> m.put(s.get("metric").get("resource").asText(), value(s)));
    return m;
  }

  static double value(JsonNode sample) {
    return Double.parseDouble(sample.get("value").get(1).asText());
  }

  /** Polls Prometheus for up to 20 s until {@code promql} has a result (first sample ~6 s). */
  JsonNode query(String promql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode r;
    do {
      r = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      if (!r.isEmpty()) {
        return r;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return r;
  }

  /**
   * One Prometheus API call (retried for 15 s while it is not listening or answers 503 during
   * start-up): its {@code data.result} (or {@code data}); fails on an error.
   */
  JsonNode api(String pathAndQuery) throws Exception {
    HttpResponse<String> r;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        // 503 "Service Unavailable" while its storage starts; anything else is the answer
        if (r.statusCode() != 503 || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(100);
      } catch (IOException e) { // not listening yet
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("status").asText()).as(r.body()).isEqualTo("success");
    JsonNode data = body.get("data");
    return data.has("result") ? data.get("result") : data;
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The metric names a PromQL expression reads (a lexer good enough for our expressions). */
  static final class PromQlNames {
    private static final Set<String> KEYWORDS =
        Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "inf",
            "nan");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    static Set<String> metricNames(String expr) {
      String s =
          expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // strings
              .replaceAll("\\$\\{[^}]*}|\\$[a-zA-Z_]+", "1m") // Grafana variables
              .replaceAll("label_values\\(([^,)]+),[^)]*\\)", "$1") // Grafana's query
              .replaceAll("\\{[^}]*}", "") // label matchers
              .replaceAll("\\[[^]]*]", "") // ranges
              // `sum by (x) (...)`: the aggregation stays a call
              .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "")
              .replaceAll("\\b(on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ");
      Set<String> names = new TreeSet<>();
      Matcher m = IDENT.matcher(s);
      while (m.find()) {
        String id = m.group();
        int after = m.end();
        while (after < s.length() && s.charAt(after) == ' ') {
          after++;
        }
        boolean call = after < s.length() && s.charAt(after) == '(';
        boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
        if (!call && !number && !KEYWORDS.contains(id.toLowerCase())) {
          names.add(id);
        }
      }
      return names;
    }
  }
}
