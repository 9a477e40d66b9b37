package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.value.IpPrefix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniRunnerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T05:00:00Z"), ZoneOffset.UTC);

  /** A plugin answering every command with {@code answer} and recording the requests. */
  static final class FakePlugin implements CniPlugin {
    final List<CniRequest> calls = new ArrayList<>();
    final Function<CniRequest, CniResult> answer;

    FakePlugin(Function<CniRequest, CniResult> answer) {
      this.answer = answer;
    }

    @Override
    public CniResult add(CniRequest r) {
      calls.add(r);
      return answer.apply(r);
    }

    @Override
    public void del(CniRequest r) {
      add(r);
    }

    @Override
    public void check(CniRequest r) {
      add(r);
    }

    @Override
    public void gc(CniRequest r) {
      add(r);
    }

    @Override
    public void status(CniRequest r) {
      add(r);
    }
  }

  static final CniResult RESULT =
      new CniResult(
          List.of(CniResult.Interface.of("net1", "02:00:00:00:00:01", "/var/run/netns/p")),
          List.of(
              new CniResult.IpConfig(
                  IpPrefix.parse("10.1.2.3/24"),
                  Optional.of(IpPrefix.parseAddress("10.1.2.1")),
                  OptionalInt.of(0))),
          List.of(),
          CniResult.Dns.EMPTY);

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(CniPlugin p, Map<String, String> env, String stdin) {
    return new CniRunner(CLOCK).call(p, env, stdin.getBytes(StandardCharsets.UTF_8), out, err);
  }

  private static String conf(String version) {
    return "{\"cniVersion\": \"" + version + "\", \"name\": \"net\", \"type\": \"fake\"}";
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void versionPrintsTheSupportedList() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, Map.of("CNI_COMMAND", "VERSION"), "")).isZero();
    assertThat(stdout())
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
    assertThat(p.calls).isEmpty();
    assertThat(err.size()).isZero();
  }

  @Test
  void addWritesTheResultInTheNetconfsVersion() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, CniEnvironmentTest.env("ADD"), conf("0.4.0"))).isZero();
    assertThat(stdout())
        .isEqualTo(
            """
            {
                "cniVersion": "0.4.0",
                "interfaces": [
                    {
                        "name": "net1",
                        "mac": "02:00:00:00:00:01",
                        "sandbox": "/var/run/netns/p"
                    }
                ],
                "ips": [
                    {
                        "version": "4",
                        "interface": 0,
                        "address": "10.1.2.3/24",
                        "gateway": "10.1.2.1"
                    }
                ]
            }""");
    CniRequest r = p.calls.get(0);
    assertThat(r.container()).isEqualTo("c0ffee_1.a-b");
    assertThat(r.interfaceName().value()).isEqualTo("net1");
    assertThat(r.version()).isEqualTo(CniVersion.V0_4_0);
    assertThat(new String(r.stdin(), StandardCharsets.UTF_8)).isEqualTo(conf("0.4.0"));
  }

  @Test
  void delWritesNothing() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, CniEnvironmentTest.env("DEL"), conf("1.0.0"))).isZero();
    assertThat(stdout()).isEmpty();
    assertThat(p.calls).extracting(CniRequest::command).containsExactly(CniCommand.DEL);
  }

  @Test
  void pluginErrorIsPrintedAsTheSpecSays() {
    FakePlugin p =
        new FakePlugin(
            r -> {
              throw new CniException(
                  CniErrorCode.INVALID_NETWORK_CONFIG, "mode \"x\": unknown", "see <docs>");
            });
    assertThat(run(p, CniEnvironmentTest.env("ADD"), conf("1.0.0"))).isEqualTo(1);
    assertThat(stdout())
        .isEqualTo(
            """
            {
                "cniVersion": "1.0.0",
                "code": 7,
                "msg": "mode \\"x\\": unknown",
                "details": "see \\u003cdocs\\u003e"
            }""");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "time=2026-12-02T05:00:00Z level=error msg=failed command=ADD code=7"
                + " msg=\"mode \\\"x\\\": unknown\" details=\"see <docs>\"\n");
  }

  @Test
  void envErrorBeforeAnyNetconfCarriesTheNewestVersion() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, Map.of("CNI_COMMAND", "ADD"), conf("0.3.1"))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .as("no empty details in the log")
        .isEqualTo(
            "time=2026-12-02T05:00:00Z level=error msg=failed command=ADD code=4"
                + " msg=\"required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH]"
                + " missing\"\n");
    assertThat(stdout())
        .isEqualTo(
            """
            {
                "cniVersion": "1.1.0",
                "code": 4,
                "msg": "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing"
            }""");
    assertThat(p.calls).isEmpty();
  }

  @Test
  void unsupportedVersionIsCode1() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, CniEnvironmentTest.env("ADD"), conf("0.2.0"))).isEqualTo(1);
    assertThat(stdout())
        .isEqualTo(
            """
            {
                "cniVersion": "1.1.0",
                "code": 1,
                "msg": "incompatible CNI versions",
                "details": "config is \\"0.2.0\\", plugin supports [\\"0.3.0\\" \\"0.3.1\\" \\"0.4.0\\" \\"1.0.0\\" \\"1.1.0\\"]"
            }""");
  }

  @Test
  void commandsTheVersionDoesNotHave() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, CniEnvironmentTest.env("CHECK"), conf("0.3.1"))).isEqualTo(1);
    assertThat(stdout())
        .contains("\"code\": 1,", "\"msg\": \"config version does not allow CHECK\"");
    out.reset();
    assertThat(run(p, Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x"), conf("1.0.0"))).isEqualTo(1);
    assertThat(stdout()).contains("\"msg\": \"config version does not allow GC\"");
    out.reset();
    assertThat(run(p, Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x"), conf("0.4.0")))
        .isEqualTo(1);
    assertThat(stdout()).contains("\"msg\": \"config version does not allow STATUS\"");
    assertThat(p.calls).isEmpty();
    out.reset();
    assertThat(run(p, Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x"), conf("1.1.0"))).isZero();
    assertThat(run(p, Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x"), conf("1.1.0"))).isZero();
    assertThat(run(p, CniEnvironmentTest.env("CHECK"), conf("0.4.0"))).isZero();
    assertThat(p.calls)
        .extracting(CniRequest::command)
        .containsExactly(CniCommand.GC, CniCommand.STATUS, CniCommand.CHECK);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void undecodableNetconfIsCode6() {
    FakePlugin p = new FakePlugin(r -> RESULT);
    assertThat(run(p, CniEnvironmentTest.env("ADD"), "{\"name\": 1}")).isEqualTo(1);
    assertThat(stdout())
        .isEqualTo(
            """
            {
                "cniVersion": "1.1.0",
                "code": 6,
                "msg": "error unmarshall network config: name: expected a string, got a number"
            }""");
  }

  @Test
  void unexpectedExceptionIsCode999WithoutAStackTraceOnStdout() {
    FakePlugin p =
        new FakePlugin(
            r -> {
              throw new IllegalStateException("boom");
            });
    assertThat(run(p, CniEnvironmentTest.env("ADD"), conf("1.1.0"))).isEqualTo(1);
    assertThat(stdout())
        .isEqualTo(
            """
            {
                "cniVersion": "1.1.0",
                "code": 999,
                "msg": "internal error: IllegalStateException: boom"
            }""");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("time=2026-12-02T05:00:00Z level=error msg=\"unexpected failure\"")
        .contains("at io.sriov.cni.plugin.CniRunnerTest");
  }

  @Test
  void logFileGetsTheLogAndStderrNothing(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("sub/plugin.log");
    FakePlugin p =
        new FakePlugin(
            r -> {
              r.log().info("working", "ifName", r.interfaceName());
              r.log().debug("detail");
              return RESULT;
            });
    String netconf =
        "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"logFile\": \""
            + log
            + "\", \"logLevel\": \"info\"}";
    assertThat(run(p, CniEnvironmentTest.env("ADD"), netconf)).isZero();
    assertThat(Files.readString(log))
        .isEqualTo("time=2026-12-02T05:00:00Z level=info msg=working ifName=net1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
    assertThat(err.size()).isZero();
  }

  @Test
  void brokenStdoutIsExit1() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("EPIPE");
          }
        };
    int status =
        new CniRunner(CLOCK)
            .call(
                new FakePlugin(r -> RESULT),
                CniEnvironmentTest.env("ADD"),
                conf("1.1.0").getBytes(StandardCharsets.UTF_8),
                broken,
                err);
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "time=2026-12-02T05:00:00Z level=error msg=\"cannot write to stdout\""
                + " error=\"java.io.IOException: EPIPE\"\n");
  }
}
