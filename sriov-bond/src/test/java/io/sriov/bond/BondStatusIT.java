package io.sriov.bond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.core.testing.Prerequisites;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STATUS on this machine's real kernel, wired as {@link BondMain} wires it: the state directory and
 * rtnetlink checks pass (the sriov plugin's), but the host kernel of this machine kind is built
 * without module support and without bonding, so STATUS reports code 50 (plugin not available). The
 * guest (bonding loaded) proves the other side in {@code BondCniE2E}.
 */
class BondStatusIT {
  @TempDir Path tmp;

  @Test
  void statusIsPluginNotAvailableOnAKernelWithoutBonding() throws Exception {
    Prerequisites.require(
        Files.notExists(Path.of("/sys/class/net/bonding_masters")),
        "a kernel without bonding",
        "this kernel has bonding: the guest's BondCniE2E covers the available side");
    Prerequisites.require(
        Files.notExists(Path.of("/proc/modules")),
        "a kernel without module support (this machine kind)",
        "this kernel can load modules; the message checked here is the one without");
    BondPlugin plugin =
        new BondPlugin(
            KernelRtnlNamespaces.system(),
            new IpamDelegate(),
            tmp,
            new SecureRandom(),
            BondingDriver.kernel());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        CniRunner.run(
            plugin,
            Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/usr/lib/cni"),
            "{\"cniVersion\": \"1.1.0\", \"name\": \"b\", \"type\": \"bond\", \"mode\": \"active-backup\"}"
                .getBytes(StandardCharsets.UTF_8),
            out,
            new ByteArrayOutputStream());
    assertThat(rc).isEqualTo(1);
    JsonNode e = new ObjectMapper().readTree(out.toByteArray());
    assertThat(e.path("code").asInt()).as(out.toString()).isEqualTo(50);
    assertThat(e.path("msg").asText())
        .isEqualTo(
            "the bonding driver is not available: it is not loaded (no"
                + " /sys/class/net/bonding_masters) and this kernel cannot load modules (no"
                + " /proc/modules)");
    assertThat(Files.list(tmp)).isEmpty();
  }
}
