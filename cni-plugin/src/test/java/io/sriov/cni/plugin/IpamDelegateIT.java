package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IpamDelegate} against Debian's real {@code host-local} and {@code static} IPAM plugins
 * (package containernetworking-plugins, {@code /usr/lib/cni}), for a pod in a throwaway network
 * namespace, each version of the netconf they speak (they stop at 1.0.0).
 */
class IpamDelegateIT {
  static final Path CNI_BIN = Path.of("/usr/lib/cni");

  @TempDir Path dir;
  String netns;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void netns() throws Exception {
    Prerequisites.require(
        Prerequisites.isRoot(), "root", "creates a network namespace with ip netns add");
    Prerequisites.require(
        Files.isExecutable(CNI_BIN.resolve("host-local"))
            && Files.isExecutable(CNI_BIN.resolve("static")),
        "Debian's containernetworking-plugins",
        "no host-local/static in " + CNI_BIN + " (apt-get install containernetworking-plugins)");
    netns = "cniplugin-it-" + ProcessHandle.current().pid();
    exec("ip", "netns", "add", netns);
  }

  @AfterEach
  void cleanup() throws Exception {
    if (netns != null) {
      exec("ip", "netns", "del", netns);
    }
  }

  private static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + ": " + out);
    }
  }

  private CniRequest request(String command, String netconf) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "ctr-" + netns);
    env.put("CNI_NETNS", "/var/run/netns/" + netns);
    env.put("CNI_IFNAME", "net1");
    env.put("CNI_PATH", "/nonexistent:" + CNI_BIN);
    byte[] stdin = netconf.getBytes(StandardCharsets.UTF_8);
    NetConf c = NetConf.parse(stdin);
    return CniRequest.of(
        CniEnvironment.parse(env),
        stdin,
        c,
        CniVersions.negotiate(c.cniVersion()),
        CniLog.toStderr(err, CniRunnerTest.CLOCK));
  }

  private String hostLocal(String version) {
    return """
        {"cniVersion": "%s", "name": "it-net", "type": "bond",
         "ipam": {"type": "host-local", "dataDir": "%s",
                  "ranges": [[{"subnet": "192.0.2.0/24", "rangeStart": "192.0.2.10",
                               "rangeEnd": "192.0.2.11", "gateway": "192.0.2.1"}],
                             [{"subnet": "2001:db8:1::/64", "rangeStart": "2001:db8:1::10",
                               "rangeEnd": "2001:db8:1::10"}]],
                  "routes": [{"dst": "0.0.0.0/0"}]}}
        """
        .formatted(version, dir.resolve("ipam"));
  }

  @Test
  void hostLocalAddCheckDelInEachVersion() throws Exception {
    IpamDelegate d = new IpamDelegate();
    for (String v : new String[] {"0.3.1", "0.4.0", "1.0.0"}) {
      CniResult r = d.add(request("ADD", hostLocal(v)));
      // host-local hands out the range round-robin: .10, then .11, then .10 again
      assertThat(r.ips())
          .extracting(ip -> ip.address().compact())
          .containsExactly(
              v.equals("0.4.0") ? "192.0.2.11/24" : "192.0.2.10/24", "2001:db8:1::10/64");
      assertThat(r.ips().get(0).gateway().map(g -> g.getHostAddress())).contains("192.0.2.1");
      assertThat(r.routes()).extracting(x -> x.dst().compact()).containsExactly("0.0.0.0/0");
      Path lease =
          dir.resolve("ipam/it-net/" + r.ips().get(0).address().address().getHostAddress());
      assertThat(Files.readString(lease)).startsWith("ctr-" + netns);
      if (!v.equals("0.3.1")) {
        d.check(request("CHECK", hostLocal(v)));
      }
      d.del(request("DEL", hostLocal(v)));
      assertThat(lease).doesNotExist();
      d.del(request("DEL", hostLocal(v)));
    }
  }

  @Test
  void hostLocalErrorIsRelayed() throws Exception {
    IpamDelegate d = new IpamDelegate();
    String conf =
        hostLocal("1.0.0").replace("\"rangeEnd\": \"192.0.2.11\"", "\"rangeEnd\": \"192.0.2.10\"");
    d.add(request("ADD", conf));
    CniRequest second =
        CniRequest.of(
            CniEnvironment.parse(
                Map.of(
                    "CNI_COMMAND", "ADD",
                    "CNI_CONTAINERID", "other",
                    "CNI_NETNS", "/var/run/netns/" + netns,
                    "CNI_IFNAME", "net1",
                    "CNI_PATH", CNI_BIN.toString())),
            conf.getBytes(StandardCharsets.UTF_8),
            NetConf.parse(conf.getBytes(StandardCharsets.UTF_8)),
            CniVersion.V1_0_0,
            CniLog.toStderr(err, CniRunnerTest.CLOCK));
    assertThatThrownBy(() -> d.add(second))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(new CniErrorCode(999));
              assertThat(e.msg())
                  .isEqualTo(
                      "failed to allocate for range 0: no IP addresses available in range set:"
                          + " 192.0.2.10-192.0.2.10");
            });
    d.del(request("DEL", conf));
  }

  @Test
  void hostLocalRefuses110AsIncompatible() {
    assertThatThrownBy(() -> new IpamDelegate().add(request("ADD", hostLocal("1.1.0"))))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CniErrorCode.INCOMPATIBLE_CNI_VERSION);
              assertThat(e.msg()).isEqualTo("incompatible CNI versions");
            });
  }

  @Test
  void staticAddresses() {
    String conf =
        """
        {"cniVersion": "1.0.0", "name": "it-static", "type": "bond",
         "ipam": {"type": "static",
                  "addresses": [{"address": "198.51.100.7/24", "gateway": "198.51.100.1"},
                                {"address": "2001:db8:0:0:0:0:0:7/64"}],
                  "routes": [{"dst": "203.0.113.0/24", "gw": "198.51.100.254"}],
                  "dns": {"nameservers": ["198.51.100.53"], "search": ["example.org"]}}}
        """;
    IpamDelegate d = new IpamDelegate();
    CniResult r = d.add(request("ADD", conf));
    assertThat(new String(ResultCodec.write(r, CniVersion.V1_0_0), StandardCharsets.UTF_8))
        .isEqualTo(
            """
            {
                "cniVersion": "1.0.0",
                "ips": [
                    {
                        "address": "198.51.100.7/24",
                        "gateway": "198.51.100.1"
                    },
                    {
                        "address": "2001:db8::7/64"
                    }
                ],
                "routes": [
                    {
                        "dst": "203.0.113.0/24",
                        "gw": "198.51.100.254"
                    }
                ],
                "dns": {
                    "nameservers": [
                        "198.51.100.53"
                    ],
                    "search": [
                        "example.org"
                    ]
                }
            }""");
    // CHECK as a runtime sends it: with the ADD result as prevResult
    String withPrev =
        conf.strip().substring(0, conf.strip().length() - 1)
            + ", \"prevResult\": "
            + new String(ResultCodec.write(r, CniVersion.V1_0_0), StandardCharsets.UTF_8)
            + "}";
    d.check(request("CHECK", withPrev));
    d.del(request("DEL", conf));
  }
}
