package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.os.process.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delegation mechanics against small shell-script plugins (no root, no real IPAM), started with
 * posix_spawn; {@link IpamDelegateFallbackTest} runs every test again on the ProcessBuilder
 * fallback.
 */
class IpamDelegateTest {
  /** The delegate under test: posix_spawn (libc is bound on the test machines). */
  IpamDelegate delegate(Duration timeout) {
    return new IpamDelegate(
        timeout,
        Optional.of(
            ChildProcess.available()
                .orElseThrow(() -> new AssertionError(ChildProcess.unavailableReason()))));
  }

  /** Whether {@link #delegate} starts plugins with posix_spawn. */
  boolean spawned() {
    return true;
  }

  final IpamDelegate delegate() {
    return delegate(IpamDelegate.DEFAULT_TIMEOUT);
  }

  @TempDir Path dir;
  Path bin;
  Path other;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void dirs() throws IOException {
    bin = Files.createDirectory(dir.resolve("bin"));
    other = Files.createDirectory(dir.resolve("other"));
  }

  private Path plugin(Path in, String name, String script) throws IOException {
    Path p = in.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private CniRequest request(String command, String netconf) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "CNI_COMMAND",
                command,
                "CNI_PATH",
                other + ":" + bin,
                "CNI_ARGS",
                "IgnoreUnknown=1;K8S_POD_NAME=p"));
    if (!command.equals("GC") && !command.equals("STATUS")) {
      env.put("CNI_CONTAINERID", "ctr1");
      env.put("CNI_NETNS", "/var/run/netns/x");
      env.put("CNI_IFNAME", "net1");
    }
    CniEnvironment e = CniEnvironment.parse(env);
    byte[] stdin = netconf.getBytes(StandardCharsets.UTF_8);
    NetConf c = NetConf.parse(stdin);
    return CniRequest.of(
        e,
        stdin,
        c,
        CniVersions.negotiate(c.cniVersion()),
        CniLog.toStderr(err, CniRunnerTest.CLOCK));
  }

  private static final String CONF =
      "{\"cniVersion\": \"1.1.0\", \"name\": \"n\", \"ipam\": {\"type\": \"fake\"}}";

  private static void fails(Runnable r, CniErrorCode code, String msg, String details) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.msg()).isEqualTo(msg);
              assertThat(e.details()).isEqualTo(details);
            });
  }

  @Test
  void passesTheCallOnAndParsesTheResult() throws IOException {
    Path envOut = dir.resolve("env");
    Path stdinOut = dir.resolve("stdin");
    plugin(
        bin,
        "fake",
        "env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' | sort > "
            + envOut
            + "\ncat > "
            + stdinOut
            + "\necho '{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\","
            + "\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1\"}]}'\n");
    CniResult r = delegate().add(request("ADD", CONF));
    assertThat(r.ips()).hasSize(1);
    assertThat(r.ips().get(0).address().compact()).isEqualTo("10.0.0.2/24");
    assertThat(Files.readAllLines(envOut))
        .containsExactly(
            "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=p",
            "CNI_COMMAND=ADD",
            "CNI_CONTAINERID=ctr1",
            "CNI_IFNAME=net1",
            "CNI_NETNS=/var/run/netns/x",
            "CNI_PATH=" + other + ":" + bin);
    assertThat(Files.readString(stdinOut)).isEqualTo(CONF);
  }

  @Test
  void firstDirectoryWithTheExecutableWins() throws IOException {
    Path first = plugin(other, "fake", "exit 0\n");
    plugin(bin, "fake", "exit 1\n");
    assertThat(IpamDelegate.find("fake", List.of(other, bin))).isEqualTo(first);
    Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rw-------"));
    assertThat(IpamDelegate.find("fake", List.of(other, bin))).isEqualTo(bin.resolve("fake"));
  }

  @Test
  void everyCommandIsDelegatedWithItsName() throws IOException {
    Path log = dir.resolve("log");
    plugin(bin, "fake", "echo $CNI_COMMAND >> " + log + "\n");
    IpamDelegate d = delegate();
    d.del(request("DEL", CONF));
    d.check(request("CHECK", CONF));
    d.gc(request("GC", CONF));
    d.status(request("STATUS", CONF));
    assertThat(Files.readAllLines(log)).containsExactly("DEL", "CHECK", "GC", "STATUS");
  }

  @Test
  void relaysThePluginsError() throws IOException {
    plugin(
        bin,
        "fake",
        "cat >/dev/null; echo '{\"code\": 11, \"msg\": \"no IP addresses available in range set\","
            + " \"details\": \"10.0.0.1-10.0.0.2\"}'; exit 1\n");
    fails(
        () -> delegate().add(request("ADD", CONF)),
        CniErrorCode.TRY_AGAIN_LATER,
        "no IP addresses available in range set",
        "10.0.0.1-10.0.0.2");
  }

  @Test
  void failureWithoutAnErrorObject() throws IOException {
    plugin(bin, "fake", "echo 'first' >&2; echo 'panic: runtime error' >&2; exit 2\n");
    fails(
        () -> delegate().del(request("DEL", CONF)),
        CniErrorCode.INTERNAL,
        "IPAM plugin fake DEL failed with exit status 2 and no CNI error on stdout",
        "stderr: panic: runtime error");
  }

  @Test
  void garbageResult() throws IOException {
    plugin(bin, "fake", "echo 'not json'\n");
    assertThatThrownBy(() -> delegate().add(request("ADD", CONF)))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CniErrorCode.DECODING_FAILURE);
              assertThat(e.msg()).startsWith("IPAM plugin fake's result: not JSON: Unrecognized");
            });
  }

  @Test
  void garbageResultIsReleased() throws IOException {
    Path log = dir.resolve("calls");
    plugin(
        bin,
        "fake",
        "echo \"$CNI_COMMAND\" >> " + log + "\necho '{\"cniVersion\": \"1.0.0\", \"ips\": 7}'\n");
    fails(
        () -> delegate().add(request("ADD", CONF)),
        CniErrorCode.DECODING_FAILURE,
        "IPAM plugin fake's result: ips: expected an array, got a number",
        "");
    assertThat(Files.readAllLines(log)).containsExactly("ADD", "DEL");
  }

  @Test
  void gatewayOfTheOtherFamilyIsRefusedAndReleased() throws IOException {
    Path log = dir.resolve("calls");
    String answer =
        "echo \"$CNI_COMMAND\" >> "
            + log
            + "\nif [ \"$CNI_COMMAND\" = ADD ]; then echo '{\"cniVersion\": \"1.0.0\", %s}'; fi\n";
    plugin(
        bin,
        "fake",
        answer.formatted(
            "\"ips\": [{\"address\": \"10.56.0.2/24\"}], \"routes\": [{\"dst\":"
                + " \"0.0.0.0/0\", \"gw\": \"10.56.0.1\"}, {\"dst\": \"10.57.0.0/16\","
                + " \"gw\": \"fd00::1\"}]"));
    fails(
        () -> delegate().add(request("ADD", CONF)),
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "IPAM plugin fake's result: routes[1] 10.57.0.0/16: gateway fd00::1 is not an IPv4"
            + " address",
        "");
    assertThat(Files.readAllLines(log)).containsExactly("ADD", "DEL");
    plugin(
        bin,
        "fake",
        answer.formatted("\"routes\": [{\"dst\": \"2001:db8::/32\", \"gw\": \"192.0.2.1\"}]"));
    fails(
        () -> delegate().add(request("ADD", CONF)),
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "IPAM plugin fake's result: routes[0] 2001:db8::/32: gateway 192.0.2.1 is not an IPv6"
            + " address",
        "");
    plugin(
        bin,
        "fake",
        answer.formatted(
            "\"ips\": [{\"address\": \"10.56.0.2/24\", \"gateway\": \"10.56.0.1\"},"
                + " {\"address\": \"fd00::2/64\", \"gateway\": \"10.56.0.1\"}]"));
    fails(
        () -> delegate().add(request("ADD", CONF)),
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "IPAM plugin fake's result: ips[1] fd00::2/64: gateway 10.56.0.1 is not an IPv6 address",
        "");
    assertThat(Files.readAllLines(log)).containsExactly("ADD", "DEL", "ADD", "DEL", "ADD", "DEL");
  }

  /**
   * A netconf beyond a pipe's 64 KiB that the plugin never reads, and 100 KB on stdout and on
   * stderr written at once: no deadlock, the result parsed from behind the padding.
   */
  @Test
  void largeOutputsAndUnreadStdin() throws IOException {
    plugin(
        bin,
        "fake",
        "head -c 100000 /dev/zero | tr '\\0' e >&2 &\n"
            + "head -c 100000 /dev/zero | tr '\\0' ' '\n"
            + "wait\n"
            + "echo '{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]}'\n");
    String big =
        "{\"cniVersion\": \"1.1.0\", \"name\": \"n\", \"pad\": \""
            + "x".repeat(200_000)
            + "\", \"ipam\": {\"type\": \"fake\"}}";
    CniResult r = delegate().add(request("ADD", big));
    assertThat(r.ips().get(0).address().compact()).isEqualTo("10.0.0.2/24");
  }

  /**
   * The plugin sees only its stdin, stdout and stderr (and the descriptor ls opens), though this
   * process holds a file open without close-on-exec (a FileInputStream).
   */
  @Test
  void noDescriptorOfThisProcessLeaksIntoThePlugin() throws IOException {
    Path fds = dir.resolve("fds");
    Path held = Files.writeString(dir.resolve("held"), "x");
    plugin(bin, "fake", "ls /proc/self/fd > " + fds + "\nexit 0\n");
    try (java.io.FileInputStream in = new java.io.FileInputStream(held.toFile())) {
      delegate().del(request("DEL", CONF));
      assertThat(in.read()).isEqualTo('x');
    }
    assertThat(Files.readAllLines(fds)).containsExactly("0", "1", "2", "3");
  }

  /**
   * A script without a #! line: exec fails with ENOEXEC under posix_spawn, as under Go's libcni;
   * the JDK's ProcessBuilder runs it with /bin/sh.
   */
  @Test
  void scriptWithoutInterpreterLine() throws IOException {
    Path p = bin.resolve("fake");
    Files.writeString(p, "exit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    if (spawned()) {
      fails(
          () -> delegate().del(request("DEL", CONF)),
          CniErrorCode.IO_FAILURE,
          "IPAM plugin " + p + ": cannot start: ENOEXEC (Exec format error)",
          "");
    } else {
      delegate().del(request("DEL", CONF));
    }
  }

  @Test
  void hangingPluginIsKilled() throws IOException {
    plugin(bin, "fake", "exec sleep 30\n");
    long start = System.nanoTime();
    fails(
        () -> delegate(Duration.ofMillis(300)).add(request("ADD", CONF)),
        CniErrorCode.TRY_AGAIN_LATER,
        "IPAM plugin fake did not answer ADD within 300 ms (killed)",
        "");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void notFound() {
    fails(
        () -> delegate().add(request("ADD", CONF)),
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "failed to find plugin \"fake\" in path [" + other + " " + bin + "]",
        "");
    fails(
        () -> delegate().status(request("STATUS", CONF)),
        CniErrorCode.PLUGIN_NOT_AVAILABLE,
        "failed to find plugin \"fake\" in path [" + other + " " + bin + "]",
        "");
  }

  @Test
  void typeMustBeAFileName() {
    for (String t : List.of("../../bin/sh", ".", "..", "a/b")) {
      fails(
          () ->
              delegate()
                  .add(
                      request(
                          "ADD",
                          "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"ipam\": {\"type\": \""
                              + t
                              + "\"}}")),
          CniErrorCode.INVALID_NETWORK_CONFIG,
          "ipam.type \"" + t + "\": not a plugin name (a file name in CNI_PATH, without /)",
          "");
    }
  }

  @Test
  void missingIpam() {
    fails(
        () -> delegate().add(request("ADD", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\"}")),
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "ipam: missing (this plugin needs an IPAM section to delegate to)",
        "");
    fails(
        () ->
            delegate()
                .add(request("ADD", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"ipam\": {}}")),
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "ipam.type: missing (the IPAM plugin to run)",
        "");
  }

  @Test
  void timeoutMustBePositive() {
    assertThatThrownBy(() -> new IpamDelegate(Duration.ZERO))
        .hasMessage("IPAM timeout must be positive: PT0S");
  }
}
