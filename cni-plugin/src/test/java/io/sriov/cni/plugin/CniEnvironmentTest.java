package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CniEnvironmentTest {

  static Map<String, String> env(String command) {
    Map<String, String> m = new HashMap<>();
    m.put("CNI_COMMAND", command);
    m.put("CNI_CONTAINERID", "c0ffee_1.a-b");
    m.put("CNI_NETNS", "/var/run/netns/pod1");
    m.put("CNI_IFNAME", "net1");
    m.put("CNI_PATH", "/opt/cni/bin::/usr/lib/cni");
    return m;
  }

  private static void fails(Map<String, String> env, String msg) {
    assertThatThrownBy(() -> CniEnvironment.parse(env))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_ENVIRONMENT_VARIABLES);
              assertThat(e.msg()).isEqualTo(msg);
              assertThat(e.details()).isEmpty();
            });
  }

  @Test
  void addHasEverything() {
    Map<String, String> m = env("ADD");
    m.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p");
    CniEnvironment e = CniEnvironment.parse(m);
    assertThat(e.command()).isEqualTo(CniCommand.ADD);
    assertThat(e.containerId()).contains("c0ffee_1.a-b");
    assertThat(e.netns()).contains(Path.of("/var/run/netns/pod1"));
    assertThat(e.ifName().orElseThrow().value()).isEqualTo("net1");
    assertThat(e.args().get("K8S_POD_NAME")).contains("p");
    assertThat(e.cniPath()).containsExactly(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni"));
  }

  @Test
  void missingVariablesAreListedAsLibcniDoes() {
    fails(Map.of(), "required env variables [CNI_COMMAND] missing");
    fails(
        Map.of("CNI_COMMAND", "ADD"),
        "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing");
    fails(
        Map.of("CNI_COMMAND", "CHECK", "CNI_PATH", "/x"),
        "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME] missing");
    fails(
        Map.of("CNI_COMMAND", "DEL", "CNI_NETNS", "/x"),
        "required env variables [CNI_CONTAINERID,CNI_IFNAME,CNI_PATH] missing");
    fails(Map.of("CNI_COMMAND", "GC"), "required env variables [CNI_PATH] missing");
    fails(Map.of("CNI_COMMAND", "STATUS"), "required env variables [CNI_PATH] missing");
    Map<String, String> empty = env("ADD");
    empty.put("CNI_IFNAME", "");
    fails(empty, "required env variables [CNI_IFNAME] missing");
  }

  @Test
  void unknownCommand() {
    fails(Map.of("CNI_COMMAND", "add"), "unknown CNI_COMMAND: add");
    fails(Map.of("CNI_COMMAND", "FOO", "CNI_PATH", "/x"), "unknown CNI_COMMAND: FOO");
  }

  @Test
  void delWithoutNetnsAsContainerdSendsIt() {
    Map<String, String> m = env("DEL");
    m.put("CNI_NETNS", "");
    CniEnvironment e = CniEnvironment.parse(m);
    assertThat(e.netns()).isEmpty();
    assertThat(e.containerId()).isPresent();
  }

  @Test
  void gcAndStatusNeedOnlyThePath() {
    CniEnvironment gc = CniEnvironment.parse(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/a:/b"));
    assertThat(gc.containerId()).isEmpty();
    assertThat(gc.ifName()).isEmpty();
    assertThat(gc.cniPath()).containsExactly(Path.of("/a"), Path.of("/b"));
    assertThat(CniEnvironment.parse(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/a")).command())
        .isEqualTo(CniCommand.STATUS);
  }

  @Test
  void versionNeedsNothingAndIgnoresTheRest() {
    CniEnvironment v =
        CniEnvironment.parse(Map.of("CNI_COMMAND", "VERSION", "CNI_CONTAINERID", "../../x"));
    assertThat(v.command()).isEqualTo(CniCommand.VERSION);
    assertThat(v.containerId()).isEmpty();
    assertThat(v.cniPath()).isEqualTo(List.of());
  }

  @Test
  void containerIdByLibcnisRule() {
    for (String bad : List.of("../etc", "a/b", "-abc", ".abc", "a b", "a;b", "ä")) {
      Map<String, String> m = env("ADD");
      m.put("CNI_CONTAINERID", bad);
      fails(
          m,
          "CNI_CONTAINERID \""
              + bad
              + "\": invalid characters (allowed: letters, digits, _ . -, starting with a letter"
              + " or digit)");
    }
    Map<String, String> ctl = env("DEL");
    ctl.put("CNI_CONTAINERID", "a\nb");
    fails(
        ctl,
        "CNI_CONTAINERID \"a\\x0ab\": invalid characters (allowed: letters, digits, _ . -,"
            + " starting with a letter or digit)");
  }

  @Test
  void ifNameByTheKernelsRules() {
    Map<String, String> m = env("ADD");
    m.put("CNI_IFNAME", "../eth0");
    fails(m, "CNI_IFNAME: interface name \"../eth0\": must not contain '/'");
    m.put("CNI_IFNAME", "a-very-long-name0");
    fails(m, "CNI_IFNAME: interface name \"a-very-long-name0\": longer than 15 bytes");
    m.put("CNI_IFNAME", "..");
    fails(m, "CNI_IFNAME: interface name \"..\": must not be . or ..");
    m.put("CNI_IFNAME", "eth 0");
    fails(m, "CNI_IFNAME: interface name \"eth 0\": must not contain whitespace or NUL");
    m.put("CNI_IFNAME", "eth:0");
    fails(m, "CNI_IFNAME: interface name \"eth:0\": must not contain ':'");
  }

  @Test
  void netnsMustBeAbsolute() {
    Map<String, String> m = env("ADD");
    m.put("CNI_NETNS", "var/run/netns/x");
    fails(m, "CNI_NETNS \"var/run/netns/x\": not an absolute path");
    m.put("CNI_NETNS", "/var/run/netns/x\0");
    fails(m, "CNI_NETNS \"/var/run/netns/x\\x00\": not a valid path");
    m.put("CNI_NETNS", "/proc/123/ns/net");
    assertThat(CniEnvironment.parse(m).netns()).isEqualTo(Optional.of(Path.of("/proc/123/ns/net")));
  }

  @Test
  void badPathEntry() {
    Map<String, String> m = env("ADD");
    m.put("CNI_PATH", "/opt/cni/bin:/x\0y");
    fails(m, "CNI_PATH: entry \"/x\\x00y\" is not a valid path");
  }

  @Test
  void badArgsAreCode4() {
    Map<String, String> m = env("ADD");
    m.put("CNI_ARGS", "K8S_POD_NAME");
    fails(
        m,
        "CNI_ARGS \"K8S_POD_NAME\": invalid pair \"K8S_POD_NAME\" (want KEY=VALUE, pairs separated"
            + " by ;)");
  }
}
