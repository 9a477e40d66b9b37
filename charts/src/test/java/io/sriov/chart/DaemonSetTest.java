package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The DaemonSet: host access, mounts, identity, probes, flags, updates, the CNI install step. */
class DaemonSetTest {
  private static final DaemonSet DEFAULTS = RenderedChart.render(Map.of()).one(DaemonSet.class);

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  private static Container daemon(DaemonSet ds) {
    List<Container> containers = pod(ds).getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("sriov-node");
    return containers.get(0);
  }

  private static Map<String, VolumeMount> mounts(Container c) {
    return c.getVolumeMounts().stream()
        .collect(
            Collectors.toMap(
                VolumeMount::getName, Function.identity(), (a, b) -> a, LinkedHashMap::new));
  }

  /** volume name -> "hostPath (type)". */
  private static Map<String, String> hostPaths(DaemonSet ds) {
    return pod(ds).getVolumes().stream()
        .filter(v -> v.getHostPath() != null)
        .collect(
            Collectors.toMap(
                Volume::getName,
                v -> v.getHostPath().getPath() + " (" + v.getHostPath().getType() + ")"));
  }

  @Test
  void runsPrivilegedOnTheHostNetworkAndPidNamespaceAsRootWithAReadOnlyRoot() {
    PodSpec pod = pod(DEFAULTS);
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getServiceAccountName()).isEqualTo("sriov-sriov-node");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getKey()).isNull();
            });
    assertThat(pod.getNodeSelector()).containsExactly(entry("kubernetes.io/os", "linux"));
    var sc = daemon(DEFAULTS).getSecurityContext();
    assertThat(sc.getPrivileged()).isTrue();
    assertThat(sc.getRunAsUser()).isZero();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void mountsExactlyTheHostPathsTheDaemonUsesAtTheirHostLocations() {
    assertThat(hostPaths(DEFAULTS))
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                entry("sys", "/sys (Directory)"),
                entry("modules", "/lib/modules (DirectoryOrCreate)"),
                entry("dev", "/dev (Directory)"),
                entry("state", "/var/lib/sriov-node (DirectoryOrCreate)"),
                entry("run", "/var/run/sriov-node (DirectoryOrCreate)"),
                entry("device-plugins", "/var/lib/kubelet/device-plugins (Directory)"),
                entry("plugins-registry", "/var/lib/kubelet/plugins_registry (DirectoryOrCreate)"),
                entry("pod-resources", "/var/lib/kubelet/pod-resources (DirectoryOrCreate)"),
                entry("netns", "/var/run/netns (DirectoryOrCreate)"),
                entry("cni-bin", "/opt/cni/bin (DirectoryOrCreate)"),
                entry("cni-runtime", "/opt/sriov-node (DirectoryOrCreate)"),
                entry("cni-conf", "/etc/cni/net.d (DirectoryOrCreate)"),
                entry("cni-state", "/var/lib/cni (DirectoryOrCreate)"),
                entry("device-info", "/var/run/k8s.cni.cncf.io/devinfo (DirectoryOrCreate)"),
                entry("cdi", "/var/run/cdi (DirectoryOrCreate)")));
    Map<String, VolumeMount> mounts = mounts(daemon(DEFAULTS));
    for (Volume v : pod(DEFAULTS).getVolumes()) {
      // cni-runtime: the standalone plugins' runtime, the install step's only
      if (v.getHostPath() != null && !v.getName().equals("cni-runtime")) {
        assertThat(mounts.get(v.getName()).getMountPath())
            .as("volume %s is mounted where it is on the host", v.getName())
            .isEqualTo(v.getHostPath().getPath());
      }
    }
    assertThat(mounts.get("netns").getMountPropagation()).isEqualTo("HostToContainer");
    assertThat(
            mounts.values().stream()
                .filter(m -> m.getMountPropagation() != null)
                .map(VolumeMount::getName))
        .containsExactly("netns");
    assertThat(
            mounts.values().stream()
                .filter(m -> Boolean.TRUE.equals(m.getReadOnly()))
                .map(VolumeMount::getName))
        .containsExactlyInAnyOrder("pod-resources", "cni-bin", "cni-conf", "modules");
    assertThat(mounts.get("tmp").getMountPath()).isEqualTo("/tmp");
    assertThat(pod(DEFAULTS).getVolumes())
        .filteredOn(v -> v.getName().equals("tmp"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory"));
  }

  @Test
  void takesItsNodeNameAndNamespaceFromTheDownwardApi() {
    Map<String, String> fieldRefs =
        daemon(DEFAULTS).getEnv().stream()
            .collect(
                Collectors.toMap(
                    EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
    assertThat(fieldRefs)
        .containsOnly(
            entry("NODE_NAME", "spec.nodeName"), entry("NAMESPACE", "metadata.namespace"));
  }

  @Test
  void passesTheFlagsForTheMountedPathsAndTheValues() {
    assertThat(daemon(DEFAULTS).getArgs())
        .containsExactly(
            "--node-name=$(NODE_NAME)",
            "--namespace=$(NAMESPACE)",
            "--log-level=info",
            "--resource-prefix=openshift.io",
            "--cdi-dir=/var/run/cdi",
            "--state-dir=/var/lib/sriov-node",
            "--kubelet-dir=/var/lib/kubelet",
            "--device-info-dir=/var/run/k8s.cni.cncf.io/devinfo/dp",
            "--metrics-port=9808",
            "--cni-socket=/var/run/sriov-node/cni.sock");
    assertThat(daemon(DEFAULTS).getCommand()).as("the image's entrypoint runs").isEmpty();
    assertThat(daemon(DEFAULTS).getImage()).isEqualTo("sriov-node:0.1.0-SNAPSHOT");
  }

  @Test
  void probesHealthAndReadinessOnTheMetricsPort() {
    Container c = daemon(DEFAULTS);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(9808);
            });
    assertProbe(c.getLivenessProbe(), "/healthz");
    assertProbe(c.getStartupProbe(), "/healthz");
    assertProbe(c.getReadinessProbe(), "/readyz");
    assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
        .as("seconds the first apply may take")
        .isEqualTo(300);
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("metrics"));
  }

  @Test
  void rollsOneNodeAtATimeAndGivesTheDaemonTimeToClose() {
    var strategy = DEFAULTS.getSpec().getUpdateStrategy();
    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    assertThat(strategy.getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(pod(DEFAULTS).getTerminationGracePeriodSeconds()).isEqualTo(40L);
    assertThat(DEFAULTS.getSpec().getSelector().getMatchLabels())
        .containsExactly(
            entry("app.kubernetes.io/name", "sriov-node"),
            entry("app.kubernetes.io/instance", "sriov"));
  }

  @Test
  void anUnprivilegedInitContainerInstallsTheCniShimIntoTheHostsBinDir() {
    assertThat(pod(DEFAULTS).getInitContainers())
        .singleElement()
        .satisfies(
            init -> {
              assertThat(init.getName()).isEqualTo("install-cni");
              assertThat(init.getImage()).isEqualTo(daemon(DEFAULTS).getImage());
              assertThat(init.getCommand())
                  .containsExactly(
                      "/opt/java/bin/java",
                      "-cp",
                      "/app/classes:/app/libs/*",
                      "io.sriov.image.CniInstallerMain",
                      "/opt/sriov-node/cni",
                      "/host/opt/cni/bin",
                      "/host/opt/sriov-node",
                      "/opt/sriov-node",
                      "/var/run/sriov-node/cni.sock");
              var sc = init.getSecurityContext();
              assertThat(sc.getPrivileged()).isFalse();
              assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
              assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
              assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
              assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
              assertThat(mounts(init))
                  .containsOnlyKeys("cni-bin", "cni-runtime", "tmp")
                  .hasEntrySatisfying(
                      "cni-bin", m -> assertThat(m.getMountPath()).isEqualTo("/host/opt/cni/bin"))
                  .hasEntrySatisfying(
                      "cni-runtime",
                      m -> {
                        assertThat(m.getMountPath()).isEqualTo("/host/opt/sriov-node");
                        assertThat(m.getReadOnly()).isNull();
                      });
            });
    assertThat(hostPaths(DEFAULTS))
        .contains(entry("cni-runtime", "/opt/sriov-node (DirectoryOrCreate)"));
    assertThat(mounts(daemon(DEFAULTS))).doesNotContainKey("cni-runtime");
    DaemonSet without = RenderedChart.render(Map.of("cni.install", false)).one(DaemonSet.class);
    assertThat(pod(without).getInitContainers()).isEmpty();
    assertThat(hostPaths(without)).doesNotContainKey("cni-runtime");
  }

  @Test
  void overriddenPathsMoveBothTheMountAndTheFlag() {
    DaemonSet ds =
        RenderedChart.render(
                Map.of(
                    "hostPaths.kubelet", "/var/lib/k0s/kubelet/",
                    "hostPaths.cniBin", "/usr/libexec/cni",
                    "hostPaths.state", "/srv/sriov",
                    "hostPaths.cniRuntime", "/var/lib/sriov-cni-runtime",
                    "daemon.useCdi", true,
                    "daemon.logLevel", "debug",
                    "daemon.resourcePrefix", "example.com",
                    "metrics.port", 9900,
                    "daemon.extraArgs[0]", "--plan"))
            .one(DaemonSet.class);
    assertThat(hostPaths(ds))
        .contains(
            entry("device-plugins", "/var/lib/k0s/kubelet/device-plugins (Directory)"),
            entry("cni-bin", "/usr/libexec/cni (DirectoryOrCreate)"),
            entry("state", "/srv/sriov (DirectoryOrCreate)"));
    Container c = daemon(ds);
    assertThat(mounts(c).get("plugins-registry").getMountPath())
        .isEqualTo("/var/lib/k0s/kubelet/plugins_registry");
    assertThat(c.getArgs())
        .contains(
            "--kubelet-dir=/var/lib/k0s/kubelet",
            "--state-dir=/srv/sriov",
            "--use-cdi",
            "--log-level=debug",
            "--resource-prefix=example.com",
            "--metrics-port=9900")
        .endsWith("--plan");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(9900);
    assertThat(pod(ds).getInitContainers().get(0).getCommand())
        .endsWith(
            "/host/usr/libexec/cni",
            "/host/var/lib/sriov-cni-runtime",
            "/var/lib/sriov-cni-runtime",
            "/var/run/sriov-node/cni.sock");
    assertThat(hostPaths(ds))
        .contains(entry("cni-runtime", "/var/lib/sriov-cni-runtime (DirectoryOrCreate)"));
  }

  @Test
  void placementValuesReachThePod() {
    DaemonSet ds =
        RenderedChart.render(
                Map.of(
                    "nodeSelector.node-role\\.kubernetes\\.io/worker", "",
                    "tolerations[0].key", "sriov",
                    "tolerations[0].operator", "Exists",
                    "tolerations[0].effect", "NoSchedule",
                    "updateStrategy.maxUnavailable", "10%",
                    "image.repository", "registry.example/sriov-node",
                    "image.tag", "v1"))
            .one(DaemonSet.class);
    assertThat(pod(ds).getNodeSelector())
        .containsOnly(
            entry("kubernetes.io/os", "linux"), entry("node-role.kubernetes.io/worker", ""));
    assertThat(pod(ds).getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("sriov");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString("10%"));
    assertThat(daemon(ds).getImage()).isEqualTo("registry.example/sriov-node:v1");
  }
}
