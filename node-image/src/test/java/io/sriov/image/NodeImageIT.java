package io.sriov.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke test of the image the build made (target/sriov-node-image.tar): Debian's {@code skopeo}
 * reads the OCI archive, {@code umoci} unpacks it into an OCI runtime bundle, and the bundle's
 * entrypoint ({@code process.args} of its config.json, with its environment) runs chrooted into the
 * root filesystem with {@code /proc} and {@code /dev} mounted in a private mount namespace, as a
 * container runtime would: {@code --version}, the simulated node with {@code --once}, the device
 * plugin's dry run, the CNI installer. A broken image (missing library, wrong mode, wrong class
 * path, missing file) fails here. Needs root, skopeo and umoci.
 */
class NodeImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION = System.getProperty("project.version");
  @TempDir static Path tmp;
  private static Path rootfs;
  private static List<String> entrypoint;
  private static Map<String, String> env;

  @BeforeAll
  static void unpack() throws Exception {
    Prerequisites.require(Prerequisites.isRoot(), "root", "chroot and mounts");
    for (String tool : List.of("skopeo", "umoci", "unshare")) {
      Prerequisites.require(
          onPath(tool), tool, "not installed (apt-get install skopeo umoci util-linux)");
    }
    Path tar = Path.of(System.getProperty("image.tar"));
    assertThat(tar).as("the image archive the build made").isRegularFile();
    Path layout = tmp.resolve("layout");
    exec(List.of("skopeo", "copy", "--quiet", "oci-archive:" + tar, "oci:" + layout + ":smoke"));
    Path bundle = tmp.resolve("bundle");
    exec(List.of("umoci", "unpack", "--image", layout + ":smoke", bundle.toString()));
    rootfs = bundle.resolve("rootfs");
    JsonNode process = JSON.readTree(bundle.resolve("config.json").toFile()).path("process");
    entrypoint = new ArrayList<>();
    process.path("args").forEach(a -> entrypoint.add(a.asText()));
    env = new java.util.TreeMap<>();
    process
        .path("env")
        .forEach(
            e -> {
              String[] kv = e.asText().split("=", 2);
              env.put(kv[0], kv[1]);
            });
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  /** A run inside the image: exit code, stdout, stderr, wall time. */
  record Run(int code, String out, String err, long millis) {}

  /** {@code command} chrooted into the rootfs with the image's environment, as a runtime would. */
  private static ProcessBuilder chrooted(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder();
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("PATH", env.get("PATH") + ":/usr/sbin:/usr/bin:/sbin:/bin");
    List<String> cmd = pb.command();
    cmd.addAll(
        new ArrayList<>(
            List.of(
                "unshare",
                "--kill-child=SIGTERM",
                "--mount",
                "--propagation",
                "private",
                "--fork",
                "--",
                "/bin/sh",
                "-c",
                "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\""
                    + " && exec chroot \"$0\" \"$@\"",
                rootfs.toString())));
    cmd.addAll(command);
    return pb;
  }

  private static Process start(List<String> command, Path log) throws IOException {
    return chrooted(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static Run inImage(List<String> command) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = chrooted(command);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err), millis);
  }

  private static List<String> entrypointWith(String... args) {
    List<String> cmd = new ArrayList<>(entrypoint);
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  @Test
  void theEntrypointIsTheDaemonOnTheImagesOwnJava() {
    assertThat(entrypoint).first().isEqualTo("/opt/java/bin/java");
    assertThat(entrypoint).last().isEqualTo("io.sriov.daemon.app.NodeDaemonMain");
    assertThat(env).containsEntry("JAVA_HOME", "/opt/java");
  }

  @Test
  void versionPrintsTheProjectVersion() throws Exception {
    Run run = inImage(entrypointWith("--version"));
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(run.out()).isEqualTo("sriov-node " + VERSION + "\n");
    System.out.printf("image smoke: --version %d ms%n", run.millis());
  }

  @Test
  void theDaemonAppliesTheSimulatedNodeOnce() throws Exception {
    Run run = inImage(entrypointWith("--simulated-node", "--once", "--output", "json"));
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    JsonNode state = JSON.readTree(run.out());
    assertThat(state.path("status").path("syncStatus").asText()).isEqualTo("Succeeded");
    assertThat(state.path("status").path("interfaces")).isNotEmpty();
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("WARNING: ");
    System.out.printf("image smoke: --simulated-node --once %d ms%n", run.millis());
  }

  @Test
  void theDevicePluginRunsItsDryRun() throws Exception {
    List<String> cmd = new ArrayList<>(entrypoint.subList(0, entrypoint.size() - 1));
    cmd.addAll(
        List.of("io.sriov.deviceplugin.app.DevicePluginMain", "--simulated-node", "--dry-run"));
    Run run = inImage(cmd);
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(JSON.readTree(run.out()).isContainerNode()).isTrue();
  }

  @Test
  void theCniInstallerCopiesTheImagesCniExecutables() throws Exception {
    Path cniDir = rootfs.resolve("opt/sriov-node/cni");
    List<String> expected =
        Stream.of(System.getProperty("image.cni.files", "").trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .map(
                s ->
                    s.contains("=")
                        ? s.substring(s.indexOf('=') + 1)
                        : Path.of(s).getFileName().toString())
            .sorted()
            .toList();
    try (Stream<Path> files = Files.list(cniDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("the CNI executables in the image")
          .isEqualTo(expected);
    }
    Files.createDirectories(rootfs.resolve("tmp/host-cni-bin"));
    Run run =
        inImage(
            List.of(
                "/opt/java/bin/java",
                "-cp",
                "/app/classes:/app/libs/*",
                "io.sriov.image.CniInstallerMain",
                "/opt/sriov-node/cni",
                "/tmp/host-cni-bin"));
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    try (Stream<Path> files = Files.list(rootfs.resolve("tmp/host-cni-bin"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(expected);
    }
    if (expected.isEmpty()) {
      assertThat(run.out()).contains("nothing to install");
    }
  }

  @Test
  void theImageHasNoShellAndItsExecutablesAreExecutable() throws IOException {
    assertThat(rootfs.resolve("bin/sh")).doesNotExist();
    assertThat(rootfs.resolve("usr/bin")).doesNotExist();
    for (String exe :
        List.of("opt/java/bin/java", "opt/java/lib/jspawnhelper", "lib64/ld-linux-x86-64.so.2")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve(exe))))
          .as(exe)
          .isEqualTo("rwxr-xr-x");
    }
    assertThat(rootfs.resolve("opt/java/lib/server/classes.jsa"))
        .as("the CDS archive jlink generated")
        .isRegularFile();
    String release = Files.readString(rootfs.resolve("opt/java/release"), StandardCharsets.UTF_8);
    assertThat(release).contains("MODULES=").doesNotContain("jdk.compiler");
  }

  /**
   * The benchmark: image size, and start-to-ready of a serving daemon from the unpacked image
   * (process start until the embedded device plugin listens on all three pools' sockets in the
   * plugin-watcher dir, i.e. the first apply finished and the plugin serves: what /readyz reports),
   * two runs, printed as a range with the load average.
   */
  @Test
  void startToReadyOfAServingDaemon() throws Exception {
    long tarBytes = Files.size(Path.of(System.getProperty("image.tar")));
    List<Long> readyMillis = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Path kubelet = rootfs.resolve("tmp/kubelet-" + run);
      Path registry = Files.createDirectories(kubelet.resolve("plugins_registry"));
      Files.createDirectories(kubelet.resolve("device-plugins"));
      List<String> cmd = entrypointWith("--simulated-node", "--kubelet-dir", "/tmp/kubelet-" + run);
      Process p = start(cmd, tmp.resolve("serve-" + run + ".log"));
      long start = System.nanoTime();
      try {
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (sockets(registry) < 3) {
          assertThat(p.isAlive())
              .as(
                  "the daemon exited early: %s",
                  Files.readString(tmp.resolve("serve-" + run + ".log")))
              .isTrue();
          assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
          Thread.sleep(10);
        }
        readyMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      } finally {
        // SIGTERM to the daemon (unshare's child), as the kubelet stops a container.
        p.children().forEach(ProcessHandle::destroy);
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      assertThat(p.exitValue())
          .as("exit code after SIGTERM: %s", Files.readString(tmp.resolve("serve-" + run + ".log")))
          .isZero();
    }
    System.out.printf(
        "image bench: archive %.1f MB, rootfs %.1f MB; start-to-ready %d-%d ms (runs %s, load"
            + " average %s)%n",
        tarBytes / 1e6,
        du(rootfs) / 1e6,
        readyMillis.stream().mapToLong(Long::longValue).min().orElseThrow(),
        readyMillis.stream().mapToLong(Long::longValue).max().orElseThrow(),
        readyMillis,
        Files.readString(Path.of("/proc/loadavg")).strip());
  }

  private static long sockets(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".sock")).count();
    }
  }

  private static long du(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  private static void exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
