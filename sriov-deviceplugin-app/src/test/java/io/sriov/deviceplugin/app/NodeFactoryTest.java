package io.sriov.deviceplugin.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFactoryTest {
  @TempDir Path tmp;

  @Test
  void aSysfsRootWithoutPciDevicesIsAnErrorEvenForTheDryRun() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("config.json"),
            "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}}]}");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DevicePluginApp.run(
            List.of("--sysfs-root=" + empty, "--config-file=" + config, "--dry-run"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            NodeFactory.DEFAULT);
    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "sriov-device-plugin: --sysfs-root="
                + empty
                + ": "
                + empty
                + "/sys/bus/pci/devices does not exist, so this is not the root of a sysfs (the"
                + " default / holds /sys/bus/pci/devices)\n");
  }
}
