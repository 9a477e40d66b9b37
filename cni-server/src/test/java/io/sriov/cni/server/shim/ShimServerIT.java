package io.sriov.cni.server.shim;

import static io.sriov.cni.server.testing.Shim.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.server.CniServer;
import io.sriov.cni.server.CniServerOptions;
import io.sriov.cni.server.testing.Shim;
import io.sriov.cni.server.testing.TestPlugin;
import io.sriov.core.testing.Prerequisites;
import io.sriov.os.PeerCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built shim against the real {@link CniServer} on a real socket, the way a runtime runs it:
 * byte-identical answers to the standalone runner, both plugin names, parallel calls, the fallback
 * once the server stops, and non-root callers (through {@code setpriv}) refused both by the
 * socket's mode and, where that is loosened, by the server's {@code SO_PEERCRED} check.
 */
class ShimServerIT {
  private static final byte[] NETCONF =
      "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"sriov\"}"
          .getBytes(StandardCharsets.UTF_8);
  private static final List<String> NOBODY =
      List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--");

  Path tmp;
  Path socket;
  TestPlugin sriov = new TestPlugin();
  TestPlugin bond = new TestPlugin();
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  CniServer server;
  Shim shim;

  @BeforeEach
  void start() throws IOException {
    Prerequisites.require(
        Prerequisites.isRoot(), "root", "the CNI server answers root clients only; setpriv");
    // not @TempDir (0700): the non-root runs must reach the shim and its configuration
    tmp = Files.createTempDirectory("shim-server-");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    socket = tmp.resolve("run/cni.sock");
    server =
        CniServer.start(
            new CniServerOptions(socket, 16, 16, Duration.ofSeconds(10), Duration.ofSeconds(5)),
            Map.of("sriov", sriov, "bond", bond),
            registry);
    shim = Shim.install(tmp.resolve("bin"), "sriov").config("socket=" + socket + "\n");
    Files.setPosixFilePermissions(shim.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (tmp != null) {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void anAddThroughTheShimPrintsExactlyWhatTheStandaloneRunnerPrints() {
    Shim.Run run = shim.run(env("ADD"), NETCONF);
    assertThat(run.exit()).isZero();
    ByteArrayOutputStream standalone = new ByteArrayOutputStream();
    int status =
        CniRunner.run(
            new TestPlugin(), env("ADD"), NETCONF, standalone, new ByteArrayOutputStream());
    assertThat(status).isZero();
    assertThat(run.stdout()).isEqualTo(standalone.toByteArray());
    assertThat(sriov.calls()).containsExactly("ADD c0ffee");
    assertThat(bond.calls()).isEmpty();
  }

  @Test
  void aPluginErrorComesBackAsTheStandaloneRunnerWritesIt() {
    Map<String, String> env = env("ADD", "CNI_CONTAINERID", TestPlugin.FAILING);
    Shim.Run run = shim.run(env, NETCONF);
    ByteArrayOutputStream standalone = new ByteArrayOutputStream();
    int status =
        CniRunner.run(new TestPlugin(), env, NETCONF, standalone, new ByteArrayOutputStream());
    assertThat(run.exit()).isEqualTo(status).isEqualTo(1);
    assertThat(run.stdout()).isEqualTo(standalone.toByteArray());
  }

  @Test
  void theBondNameReachesTheBondPlugin() {
    Shim bondShim = Shim.install(shim.dir(), "bond");
    Shim.Run run = bondShim.run(env("DEL"), NETCONF);
    assertThat(run.exit()).isZero();
    assertThat(bond.calls()).containsExactly("DEL c0ffee");
    assertThat(sriov.calls()).isEmpty();
  }

  @Test
  void eightShimsRunInParallel() throws Exception {
    sriov.meetTogether(8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Shim.Run>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Map<String, String> env = env("ADD", "CNI_CONTAINERID", "pod" + i);
        runs.add(pool.submit(() -> shim.run(env, NETCONF)));
      }
      for (Future<Shim.Run> r : runs) {
        Shim.Run run = r.get(60, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.out()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sriov.maxRunning()).isEqualTo(8);
  }

  @Test
  void afterTheServerStopsTheShimRunsTheStandalonePlugin() {
    shim.script("sriov-standalone", "printf standalone:$CNI_COMMAND; cat\n");
    server.close();
    server = null;
    Shim.Run run = shim.run(env("DEL"), NETCONF);
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("standalone:DEL" + new String(NETCONF, StandardCharsets.UTF_8));
    assertThat(run.err()).contains("No such file or directory); running the standalone plugin");
  }

  @Test
  void aNonRootCallerCannotEvenConnectToTheRootOnlySocket() {
    shim.script("sriov-standalone", "printf must-not-run\n");
    Shim.Run run = shim.run(NOBODY, env("ADD"), NETCONF);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.0.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: cannot"
                + " reach the CNI server: connect "
                + socket
                + ": Permission denied\"\n}");
    assertThat(sriov.calls()).isEmpty();
  }

  @Test
  void aNonRootCallerIsRefusedByThePeerCheckWhereTheModesAreLoosened() throws IOException {
    // the daemon's check: the uid through getsockopt (java.base/sun.nio.ch exported as it is there)
    assertThat(PeerCredentials.unavailableReason()).isEmpty();
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    Shim.Run run = shim.run(NOBODY, env("ADD"), NETCONF);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 5,\n    \"msg\": \"the CNI server"
                + " accepts calls from root only; refused a client running as user nobody\"\n}");
    assertThat(run.stderr()).isEmpty();
    assertThat(sriov.calls()).isEmpty();
    assertThat(registry.find("sriov.cni.refused").tag("reason", "peer").counter().count())
        .isEqualTo(1);
  }
}
