package io.sriov.bond;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a kernel can have, load or lack the bonding driver, on temp trees. */
class KernelBondingDriverTest {
  @TempDir Path tmp;
  Path sys;
  Path proc;
  Path modules;
  KernelBondingDriver driver;

  @BeforeEach
  void tree() throws IOException {
    sys = Files.createDirectories(tmp.resolve("sys/class/net"));
    proc = Files.createDirectories(tmp.resolve("proc/sys/kernel"));
    modules = Files.createDirectories(tmp.resolve("lib/modules/6.12.38+deb12-amd64"));
    driver =
        new KernelBondingDriver(
            tmp.resolve("sys"), tmp.resolve("proc"), tmp.resolve("lib/modules"));
  }

  private String notLoaded() {
    return "the bonding driver is not available: it is not loaded (no "
        + tmp.resolve("sys/class/net/bonding_masters")
        + ") and ";
  }

  private void moduleSupport() throws IOException {
    Files.writeString(tmp.resolve("proc/modules"), "igb 1 0 - Live 0x0\n");
    Files.writeString(tmp.resolve("proc/sys/kernel/osrelease"), "6.12.38+deb12-amd64\n");
    Files.writeString(tmp.resolve("proc/sys/kernel/modules_disabled"), "0\n");
  }

  @Test
  void loadedOrBuiltIn() throws IOException {
    Files.writeString(sys.resolve("bonding_masters"), "\n");
    assertThat(driver.unavailable()).isEmpty();
  }

  @Test
  void loadableThroughTheRtnlLinkAlias() throws IOException {
    moduleSupport();
    Files.writeString(
        modules.resolve("modules.alias"),
        "# Aliases extracted from modules themselves.\nalias rtnl-link-bridge bridge\n"
            + "alias rtnl-link-bond bonding\n");
    assertThat(driver.unavailable()).isEmpty();
  }

  @Test
  void kernelWithoutModuleSupport() {
    assertThat(driver.unavailable())
        .hasValue(
            notLoaded()
                + "this kernel cannot load modules (no "
                + tmp.resolve("proc/modules")
                + ")");
  }

  @Test
  void moduleLoadingDisabled() throws IOException {
    moduleSupport();
    Files.writeString(tmp.resolve("proc/sys/kernel/modules_disabled"), "1\n");
    assertThat(driver.unavailable())
        .hasValue(
            notLoaded()
                + "module loading is disabled ("
                + tmp.resolve("proc/sys/kernel/modules_disabled")
                + " is 1)");
  }

  @Test
  void noModulesTreeForTheRunningKernel() throws IOException {
    moduleSupport();
    assertThat(driver.unavailable())
        .hasValue(
            notLoaded()
                + "no module can be found for it (no "
                + modules.resolve("modules.alias")
                + ")");
  }

  @Test
  void noModuleWithTheAlias() throws IOException {
    moduleSupport();
    Files.writeString(modules.resolve("modules.alias"), "alias rtnl-link-bridge bridge\n");
    assertThat(driver.unavailable())
        .hasValue(
            notLoaded()
                + "no module provides it (no \"alias rtnl-link-bond\" in "
                + modules.resolve("modules.alias")
                + ")");
  }

  @Test
  void unusableKernelRelease() throws IOException {
    moduleSupport();
    Files.writeString(tmp.resolve("proc/sys/kernel/osrelease"), "../../etc\n");
    assertThat(driver.unavailable())
        .hasValue(
            notLoaded()
                + "the kernel release is unknown (no usable "
                + tmp.resolve("proc/sys/kernel/osrelease")
                + ")");
  }
}
