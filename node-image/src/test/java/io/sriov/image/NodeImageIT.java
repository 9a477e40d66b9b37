package io.sriov.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.testing.Prerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * plugin's dry run, the CNI installer and, on this machine, the installed shim's fallback. A broken
 * image (missing library, wrong mode, wrong class path, missing file) fails here. Needs root,
 * skopeo and umoci.
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
  void theDaemonRunsWithItsJvmFlagsList() throws Exception {
    assertThat(entrypoint).contains("@/opt/sriov-node/daemon.jvm-args");
    assertThat(env).containsEntry("MALLOC_ARENA_MAX", "2");
    List<String> args = Files.readAllLines(rootfs.resolve("opt/sriov-node/daemon.jvm-args"));
    assertThat(args).contains("-Xshare:off", "-XX:+UseSerialGC", "-Xmx96m");
    // What the image's JVM really runs with: the flags as the VM parsed them from the file.
    List<String> cmd = new ArrayList<>(entrypoint.subList(0, entrypoint.indexOf("-cp")));
    cmd.addAll(List.of("-XX:+PrintCommandLineFlags", "-version"));
    Run run = inImage(cmd);
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(run.out() + run.err())
        .contains("-XX:+UseSerialGC")
        .contains("-XX:MaxHeapSize=100663296")
        .contains("-XX:TieredStopAtLevel=1")
        .contains("mixed mode")
        .as("-Xshare:off: -version says 'sharing' when a CDS archive is mapped")
        .doesNotContain("sharing");
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
  void theImageCarriesTheShimAsBothPlugins() throws Exception {
    Path cniDir = rootfs.resolve("opt/sriov-node/cni");
    try (Stream<Path> files = Files.list(cniDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("the CNI executables in the image")
          .containsExactly("bond", "sriov");
    }
    Path shim = Path.of(System.getProperty("image.cni.shim"));
    for (String name : List.of("sriov", "bond")) {
      assertThat(Files.mismatch(shim, cniDir.resolve(name)))
          .as(name + " is the shim")
          .isEqualTo(-1);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cniDir.resolve(name))))
          .isEqualTo("rwxr-xr-x");
    }
  }

  /**
   * The chart's install step, run in the image into a "host" (a directory of this machine): the
   * shim as sriov and bond, the standalone plugins' launchers and their runtime; then, on this
   * machine, outside the image, the installed shim with no daemon listening falls back to the
   * standalone plugin, which answers VERSION on the image's runtime: the whole fallback chain.
   */
  @Test
  void theInstalledShimFallsBackToTheStandalonePluginsWithoutADaemon() throws Exception {
    Path host = rootfs.resolve("tmp/host");
    Path bin = Files.createDirectories(host.resolve("opt/cni/bin"));
    Path runtime = Files.createDirectories(host.resolve("opt/sriov-node"));
    Files.writeString(bin.resolve("host-local"), "the host's own plugin");
    Run run =
        inImage(
            List.of(
                "/opt/java/bin/java",
                "-cp",
                "/app/classes:/app/libs/*",
                "io.sriov.image.CniInstallerMain",
                "/opt/sriov-node/cni",
                "/tmp/host/opt/cni/bin",
                "/tmp/host/opt/sriov-node",
                runtime.toString(),
                // No daemon: a socket nobody listens on (not the default, which a daemon on this
                // machine might serve), written into the shim's configuration.
                host.resolve("nobody.sock").toString()));
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(run.out())
        .contains("install-cni: installed the standalone plugins' runtime ")
        .contains("install-cni: installed sriov (")
        .contains("install-cni: installed bond (");
    try (Stream<Path> files = Files.list(bin)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(
              "bond",
              "bond-standalone",
              "host-local",
              "sriov",
              "sriov-cni-shim.conf",
              "sriov-standalone");
    }
    assertThat(Files.readString(bin.resolve("host-local"))).isEqualTo("the host's own plugin");
    for (String plugin : List.of("sriov", "bond")) {
      ProcessBuilder pb = new ProcessBuilder(bin.resolve(plugin).toString());
      pb.environment().clear();
      pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
      pb.environment().put("CNI_COMMAND", "VERSION");
      Path out = Files.createTempFile(tmp, plugin, ".out");
      Path err = Files.createTempFile(tmp, plugin, ".err");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (var stdin = p.getOutputStream()) {
        stdin.write("{\"cniVersion\":\"1.1.0\"}".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(plugin + " answered in time").isTrue();
      assertThat(p.exitValue()).as("%s: %s", plugin, Files.readString(err)).isZero();
      assertThat(Files.readString(err))
          .startsWith(
              plugin
                  + " shim: CNI server unreachable (connect "
                  + host.resolve("nobody.sock")
                  + ": No such file or directory); running the standalone plugin "
                  + bin.resolve(plugin + "-standalone"));
      JsonNode version = JSON.readTree(Files.readString(out));
      assertThat(version.path("cniVersion").asText()).isEqualTo("1.1.0");
      assertThat(version.path("supportedVersions").toString()).contains("\"1.0.0\"");
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
   * The benchmark: image size (the archive; the unpacked rootfs and the jlink runtime's share of
   * it), and start-to-ready of a serving daemon from the unpacked image: process start until {@code
   * /readyz} on its metrics port answers 200 (the first apply finished and the device plugin
   * serves), two runs, printed as a range with the load average.
   */
  @Test
  void startToReadyOfAServingDaemon() throws Exception {
    long tarBytes = Files.size(Path.of(System.getProperty("image.tar")));
    List<Long> readyMillis = new ArrayList<>();
    List<Long> modulesResidentKib = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    for (int run = 0; run < 2; run++) {
      Path kubelet = rootfs.resolve("tmp/kubelet-" + run);
      Files.createDirectories(kubelet.resolve("plugins_registry"));
      Files.createDirectories(kubelet.resolve("device-plugins"));
      int port = freePort();
      List<String> cmd =
          entrypointWith(
              "--simulated-node",
              "--kubelet-dir",
              "/tmp/kubelet-" + run,
              "--metrics-port",
              Integer.toString(port),
              "--metrics-bind-address",
              "127.0.0.1");
      HttpRequest readyz =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
              .timeout(Duration.ofSeconds(2))
              .build();
      Path log = tmp.resolve("serve-" + run + ".log");
      long start = System.nanoTime();
      Process p = start(cmd, log);
      try {
        long deadline = start + TimeUnit.SECONDS.toNanos(90);
        while (status(http, readyz) != 200) {
          assertThat(p.isAlive()).as("the daemon exited early: %s", Files.readString(log)).isTrue();
          assertThat(System.nanoTime()).as("ready within 90 s").isLessThan(deadline);
          Thread.sleep(10);
        }
        readyMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        long modulesKib = residentKib(p, "/opt/java/lib/modules");
        modulesResidentKib.add(modulesKib);
        assertThat(modulesKib)
            .as(
                "KiB of the runtime's lib/modules resident in the serving daemon: HotSpot reads"
                    + " uncompressed classes with pread and decompresses compressed ones straight"
                    + " from its mapping of the file (a jlink --compress runtime left 10-19 MiB of"
                    + " it resident)")
            .isLessThan(4096);
      } finally {
        // SIGTERM to the daemon (unshare's child), as the kubelet stops a container.
        p.children().forEach(ProcessHandle::destroy);
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      assertThat(p.exitValue()).as("exit code after SIGTERM: %s", Files.readString(log)).isZero();
    }
    System.out.printf(
        "image bench: archive %.1f MB; rootfs %.1f MB (runtime /opt/java %.1f MB, glibc %.1f MB,"
            + " /app %.1f MB, CNI %.1f MB); start-to-ready (/readyz 200) %d-%d ms (runs %s, load"
            + " average %s); lib/modules resident when ready %s KiB%n",
        tarBytes / 1e6,
        (du(rootfs) - du(rootfs.resolve("tmp"))) / 1e6,
        du(rootfs.resolve("opt/java")) / 1e6,
        (du(rootfs.resolve("lib")) + du(rootfs.resolve("lib64"))) / 1e6,
        du(rootfs.resolve("app")) / 1e6,
        du(rootfs.resolve("opt/sriov-node/cni")) / 1e6,
        readyMillis.stream().mapToLong(Long::longValue).min().orElseThrow(),
        readyMillis.stream().mapToLong(Long::longValue).max().orElseThrow(),
        readyMillis,
        Files.readString(Path.of("/proc/loadavg")).strip(),
        modulesResidentKib);
  }

  /**
   * The resident KiB of the mappings of {@code file} (a path inside the image) in the image's JVM
   * under {@code launcher} (unshare, chroot): the sum of {@code Rss:} in its {@code smaps}.
   */
  private static final Pattern MAPPING = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

  private static long residentKib(Process launcher, String file) throws IOException {
    ProcessHandle jvm =
        launcher
            .descendants()
            .filter(h -> h.info().command().orElse("").endsWith("/opt/java/bin/java"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no /opt/java/bin/java under the launcher"));
    long kib = 0;
    boolean inFile = false;
    for (String line : Files.readAllLines(Path.of("/proc/" + jvm.pid() + "/smaps"))) {
      if (MAPPING.matcher(line).lookingAt()) {
        inFile = line.endsWith(file);
      } else if (inFile && line.startsWith("Rss:")) {
        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return kib;
  }

  /** The HTTP status, or 0 while nothing listens. */
  private static int status(HttpClient http, HttpRequest request) throws InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
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
