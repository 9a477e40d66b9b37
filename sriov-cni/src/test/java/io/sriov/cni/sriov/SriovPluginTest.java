package io.sriov.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfVlan;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.netlink.SimulatedNetwork;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as a runtime sees it (environment + stdin in, stdout JSON and exit status out, through
 * cni-plugin's {@link CniRunner}) on the SIMULATED node, with a shell-script IPAM on CNI_PATH.
 */
class SriovPluginTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path POD = Path.of("/var/run/netns/pod-a");
  static final Path POD_B = Path.of("/var/run/netns/pod-b");
  static final String VF0 = "0000:3c:00.0";
  static final String VF1 = "0000:3c:00.1";

  @TempDir Path dir;
  SimulatedNode node;
  SimulatedNetwork network;
  SriovPlugin plugin;
  Path cniPath;
  String stdout;
  String stderr;
  String cniArgs = "";

  @BeforeEach
  void open() throws Exception {
    node = SimulatedNode.builtIn(dir.resolve("node"));
    network = node.network();
    network.createNamespace(POD);
    network.createNamespace(POD_B);
    cniPath = Files.createDirectories(dir.resolve("bin"));
    ipam(
        "fake-ipam",
        "case \"$CNI_COMMAND\" in\n"
            + "ADD) echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.0.2.10/24\","
            + "\"gateway\":\"192.0.2.1\"}],\"routes\":[{\"dst\":\"198.51.100.0/24\"}],"
            + "\"dns\":{\"nameservers\":[\"192.0.2.53\"]}}' ;;\n"
            + "*) echo \"$CNI_COMMAND $CNI_CONTAINERID\" >> \"$(dirname \"$0\")/calls\" ;;\n"
            + "esac\n");
    ipam(
        "broken-ipam",
        "[ \"$CNI_COMMAND\" = ADD ] && { echo '{\"code\":11,\"msg\":\"no free address\"}'; exit 1; }\n"
            + "exit 0\n");
    NetnsSysctls sysctls = (netns, key, value) -> true;
    plugin =
        SriovCni.create(
            node.root(),
            network,
            sysctls,
            new StateDir(dir.resolve("state")),
            new IpamDelegate(Duration.ofSeconds(20)));
  }

  @AfterEach
  void close() {
    node.close();
  }

  void ipam(String name, String body) throws Exception {
    Path p = cniPath.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static String netconf(String version, String vf, String fields) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\""
        + vf
        + "\""
        + (fields.isEmpty() ? "" : "," + fields)
        + "}";
  }

  int call(String command, String containerId, Optional<Path> netns, String stdin) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    if (containerId != null) {
      env.put("CNI_CONTAINERID", containerId);
      env.put("CNI_IFNAME", "net1");
    }
    env.put("CNI_NETNS", netns.map(Path::toString).orElse(""));
    env.put("CNI_PATH", cniPath.toString());
    if (!cniArgs.isEmpty()) {
      env.put("CNI_ARGS", cniArgs);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Clock clock = Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC);
    int rc =
        new CniRunner(clock).call(plugin, env, stdin.getBytes(StandardCharsets.UTF_8), out, err);
    stdout = out.toString(StandardCharsets.UTF_8);
    stderr = err.toString(StandardCharsets.UTF_8);
    return rc;
  }

  JsonNode error() throws Exception {
    return JSON.readTree(stdout);
  }

  Optional<Link> inPod(Path pod, String name) throws Exception {
    try (RtnlOperations ops = network.open(pod)) {
      return ops.link(name);
    }
  }

  @Test
  void addReturnsTheResultInTheRequestedVersionAndDelRestores() throws Exception {
    String conf =
        netconf(
            "1.0.0",
            VF0,
            "\"vlan\":100,\"mac\":\"02:11:22:33:44:55\",\"ipam\":{\"type\":\"fake-ipam\"}");
    assertThat(call("ADD", "c1", Optional.of(POD), conf)).as(stderr).isZero();
    assertThat(JSON.readTree(stdout))
        .isEqualTo(
            JSON.readTree(
                "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"net1\","
                    + "\"mac\":\"02:11:22:33:44:55\",\"mtu\":1500,\"sandbox\":\""
                    + POD
                    + "\",\"pciID\":\""
                    + VF0
                    + "\"}],\"ips\":[{\"interface\":0,\"address\":\"192.0.2.10/24\","
                    + "\"gateway\":\"192.0.2.1\"}],\"routes\":[{\"dst\":\"198.51.100.0/24\"}],"
                    + "\"dns\":{\"nameservers\":[\"192.0.2.53\"]}}"));
    try (RtnlOperations pod = network.open(POD)) {
      Link l = pod.link("net1").orElseThrow();
      assertThat(l.isUp()).isTrue();
      assertThat(pod.addresses(l.index())).hasSize(1);
      assertThat(pod.routes(false, 254))
          .anySatisfy(
              r -> {
                assertThat(r.destination().toString()).isEqualTo("198.51.100.0/24");
                assertThat(r.gateway().orElseThrow().getHostAddress()).isEqualTo("192.0.2.1");
              });
    }

    String withPrev =
        netconf(
            "1.0.0",
            VF0,
            "\"vlan\":100,\"mac\":\"02:11:22:33:44:55\",\"ipam\":{\"type\":\"fake-ipam\"},"
                + "\"prevResult\":"
                + stdout);
    assertThat(call("CHECK", "c1", Optional.of(POD), withPrev)).as(stdout).isZero();

    assertThat(call("DEL", "c1", Optional.of(POD), conf)).as(stdout).isZero();
    assertThat(stdout).isEmpty();
    assertThat(inPod(POD, "net1")).isEmpty();
    assertThat(Files.readString(cniPath.resolve("calls"))).isEqualTo("CHECK c1\nDEL c1\n");
    assertThat(call("DEL", "c1", Optional.of(POD), conf)).as("DEL twice").isZero();
    assertThat(call("DEL", "c1", Optional.empty(), conf)).as("containerd's empty netns").isZero();
  }

  @Test
  void resultInOldVersionsHasNoMtuOrPciIdAndUsesTheVersionField() throws Exception {
    assertThat(call("ADD", "c1", Optional.of(POD), netconf("0.3.1", VF0, ""))).as(stdout).isZero();
    JsonNode r = JSON.readTree(stdout);
    assertThat(r.path("cniVersion").asText()).isEqualTo("0.3.1");
    assertThat(r.path("interfaces").get(0).has("mtu")).isFalse();
    assertThat(r.path("interfaces").get(0).has("pciID")).isFalse();
    assertThat(r.path("interfaces").get(0).path("sandbox").asText()).isEqualTo(POD.toString());
  }

  @Test
  void checkFailsWithCode100NamingTheDifference() throws Exception {
    assertThat(call("ADD", "c1", Optional.of(POD), netconf("1.0.0", VF0, "\"vlan\":100"))).isZero();
    String prev = stdout;
    try (RtnlOperations host = network.openHost()) {
      host.setVf(
          host.link("ens1f0").orElseThrow().index(),
          VfConfig.forVf(VfIndex.of(0)).vlan(VfVlan.of(200, 0)).build());
    }
    assertThat(
            call(
                "CHECK",
                "c1",
                Optional.of(POD),
                netconf("1.0.0", VF0, "\"vlan\":100,\"prevResult\":" + prev)))
        .isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(100);
    assertThat(error().path("msg").asText())
        .isEqualTo("VF 0 on ens1f0 has not vlan 100 qos 0 (reads vlan 200 qos 0)");
    assertThat(call("CHECK", "c9", Optional.of(POD), netconf("1.0.0", VF0, ""))).isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(3);
    assertThat(error().path("msg").asText())
        .isEqualTo(
            "no attachment of container c9 interface net1 is cached (ADD did not run or DEL"
                + " already did)");
  }

  @Test
  void errorsCarryTheSpecsCodeAndNameTheFieldAndValue() throws Exception {
    assertThat(call("ADD", "c1", Optional.of(POD), netconf("1.0.0", "", ""))).isEqualTo(1);
    assertThat(error())
        .isEqualTo(
            JSON.readTree(
                "{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"VF pci addr is required\"}"));
    assertThat(call("ADD", "c1", Optional.of(POD), netconf("1.0.0", VF0, "\"vlan\":\"5\"")))
        .isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(6);
    assertThat(error().path("msg").asText())
        .isEqualTo("failed to load netconf: vlan: expected an integer, got a string");
    assertThat(call("ADD", "c1", Optional.of(POD), netconf("1.0.0", "0000:3b:00.0", "")))
        .isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(7);
    assertThat(error().path("msg").asText())
        .isEqualTo("deviceID 0000:3b:00.0: not a VF (no /sys/bus/pci/devices/0000:3b:00.0/physfn)");

    assertThat(call("ADD", "c1", Optional.of(POD), netconf("1.0.0", VF0, ""))).isZero();
    assertThat(call("ADD", "c2", Optional.of(POD_B), netconf("1.0.0", VF0, ""))).isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(11);
    assertThat(error().path("msg").asText())
        .isEqualTo("pci address 0000:3c:00.0 is already allocated");
    assertThat(
            call(
                "ADD",
                "c3",
                Optional.of(POD_B),
                netconf("1.0.0", VF1, "").replace("\"deviceID\"", "\"mac\":\"x\",\"deviceID\"")))
        .isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(7);
    assertThat(error().path("msg").asText()).startsWith("mac \"x\" invalid: ");
  }

  @Test
  void cniArgsMacIsUsedUnlessRuntimeConfigGivesOne() throws Exception {
    Map<String, String> extra = Map.of();
    assertThat(extra).isEmpty();
    String conf = netconf("1.0.0", VF0, "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:0a\"}");
    assertThat(call("ADD", "c1", Optional.of(POD), conf)).as(stdout).isZero();
    assertThat(JSON.readTree(stdout).path("interfaces").get(0).path("mac").asText())
        .isEqualTo("02:00:00:00:00:0a");
  }

  @Test
  void aFailingIpamFailsAddWithItsCodeAndLeavesTheVfAsItWas() throws Exception {
    assertThat(
            call(
                "ADD",
                "c1",
                Optional.of(POD),
                netconf("1.0.0", VF0, "\"vlan\":9,\"ipam\":{\"type\":\"broken-ipam\"}")))
        .isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(11);
    assertThat(error().path("msg").asText()).isEqualTo("no free address");
    assertThat(inPod(POD, "net1")).isEmpty();
    try (RtnlOperations host = network.openHost()) {
      assertThat(host.link("ens1f0v0")).isPresent();
      assertThat(host.vfs(host.link("ens1f0").orElseThrow().index(), false).get(0).vlans())
          .containsExactly(VfVlan.of(0, 0));
    }
    assertThat(Files.list(dir.resolve("state")).filter(Files::isRegularFile)).isEmpty();
  }

  @Test
  void gcReleasesEveryAttachmentNotInValidAttachmentsAndForwardsToIpam() throws Exception {
    String ipam = ",\"ipam\":{\"type\":\"fake-ipam\"}";
    assertThat(call("ADD", "keep", Optional.of(POD), netconf("1.1.0", VF0, "\"vlan\":1" + ipam)))
        .as(stdout)
        .isZero();
    assertThat(call("ADD", "stale", Optional.of(POD_B), netconf("1.1.0", VF1, "\"vlan\":2" + ipam)))
        .isZero();
    String gc =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\""
            + ipam
            + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"net1\"}]}";
    assertThat(call("GC", null, Optional.empty(), gc)).as(stdout).isZero();
    assertThat(inPod(POD, "net1")).isPresent();
    assertThat(inPod(POD_B, "net1")).isEmpty();
    try (RtnlOperations host = network.openHost()) {
      assertThat(host.link("ens1f0v1")).isPresent();
      assertThat(host.vfs(host.link("ens1f0").orElseThrow().index(), false).get(1).vlans())
          .containsExactly(VfVlan.of(0, 0));
    }
    assertThat(Files.readString(cniPath.resolve("calls"))).endsWith("GC \n");
  }

  @Test
  void statusSucceedsOnAWorkingNodeAndFailsWith50WhenStateCannotBeWritten() throws Exception {
    String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\"}";
    assertThat(call("STATUS", null, Optional.empty(), conf)).as(stdout).isZero();
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    plugin =
        SriovCni.create(
            node.root(),
            network,
            (n, k, v) -> true,
            new StateDir(file.resolve("state")),
            new IpamDelegate());
    assertThat(call("STATUS", null, Optional.empty(), conf)).isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(50);
    assertThat(error().path("msg").asText())
        .isEqualTo(
            "state directory "
                + file.resolve("state")
                + " cannot be written (nearest existing: "
                + file
                + ")");
  }

  @Test
  void badEnvironmentIsCode4BeforeAnythingTouchesAPath() throws Exception {
    assertThat(call("ADD", "../../etc", Optional.of(POD), netconf("1.0.0", VF0, ""))).isEqualTo(1);
    assertThat(error().path("code").asInt()).isEqualTo(4);
    assertThat(error().path("msg").asText()).startsWith("CNI_CONTAINERID \"../../etc\"");
    assertThat(Files.exists(dir.resolve("state"))).isFalse();
  }
}
