package io.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.os.Errno;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSysfsWriterTest {
  @TempDir Path dir;
  final KernelSysfsWriter writer = new KernelSysfsWriter(1);

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void writesTheValueInOneGo() throws Exception {
    Path f = Files.writeString(dir.resolve("attr"), "old-and-longer\n");
    writer.write(f, "8", Duration.ofSeconds(10));
    assertThat(Files.readString(f)).isEqualTo("8");
  }

  @Test
  void missingAttribute() {
    Path f = dir.resolve("sriov_numvfs");
    assertThatThrownBy(() -> writer.write(f, "8", Duration.ofSeconds(10)))
        .isInstanceOf(SysfsException.class)
        .hasMessage("write \"8\" to " + f + ": ENOENT (No such file or directory)")
        .satisfies(e -> assertThat(((SysfsException) e).errno()).isEqualTo(Errno.ENOENT))
        .satisfies(e -> assertThat(((SysfsException) e).file()).isEqualTo(f));
  }

  @Test
  void controlCharactersAreShownEscaped() {
    Path f = dir.resolve("driver_override");
    assertThatThrownBy(() -> writer.write(f, "\n", Duration.ofSeconds(10)))
        .hasMessage("write \"\\n\" to " + f + ": ENOENT (No such file or directory)");
  }

  /**
   * A FIFO without a reader blocks open(2) like a stuck driver blocks write(2): the caller gets
   * ETIMEDOUT, the thread stays until the FIFO is opened, and while it is stuck the cap (1 here)
   * refuses further writes instead of piling up threads.
   */
  @Test
  void stuckWriteTimesOutAndIsCapped() throws Exception {
    Path fifo = dir.resolve("stuck");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();
    assertThatThrownBy(() -> writer.write(fifo, "1", Duration.ofMillis(100)))
        .hasMessage(
            "write \"1\" to "
                + fifo
                + ": ETIMEDOUT (Connection timed out): no answer from the"
                + " kernel within 100 ms; the write may still complete");
    assertThat(writer.stuckWrites()).isEqualTo(1);
    Path other = Files.writeString(dir.resolve("other"), "");
    assertThatThrownBy(() -> writer.write(other, "1", Duration.ofSeconds(10)))
        .hasMessage(
            "write \"1\" to "
                + other
                + ": EAGAIN (Resource temporarily unavailable): 1 earlier"
                + " writes are still stuck in the kernel; not starting another");
    try (InputStream in = Files.newInputStream(fifo)) {
      assertThat(in.read()).isEqualTo('1');
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (writer.stuckWrites() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(writer.stuckWrites()).isZero();
    writer.write(other, "2", Duration.ofSeconds(10));
    assertThat(Files.readString(other)).isEqualTo("2");
  }

  @Test
  void nonPositiveTimeout() {
    assertThatThrownBy(() -> writer.write(dir.resolve("x"), "1", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive: PT0S");
  }

  /** The errno is the one write(2)/open(2) saved (sriov-os's libc binding), not a message's. */
  @Test
  void errnoComesFromTheSystemCall() throws Exception {
    Path d = Files.createDirectories(dir.resolve("a-directory"));
    assertThatThrownBy(() -> writer.write(d, "1", Duration.ofSeconds(10)))
        .isInstanceOf(SysfsException.class)
        .hasMessage("write \"1\" to " + d + ": EISDIR (Is a directory)")
        .satisfies(e -> assertThat(((SysfsException) e).errno()).isEqualTo(Errno.EISDIR));
    Path under = Files.writeString(dir.resolve("plain"), "").resolve("x");
    assertThatThrownBy(() -> writer.write(under, "1", Duration.ofSeconds(10)))
        .hasMessage("write \"1\" to " + under + ": ENOTDIR (Not a directory)")
        .satisfies(e -> assertThat(((SysfsException) e).errno()).isEqualTo(Errno.ENOTDIR));
  }

  @Test
  void exceptionReframingKeepsErrnoFileAndDetail() {
    Path f = dir.resolve("sriov_numvfs");
    SysfsException low =
        new SysfsException("write \"8\" to " + f, "", f, Errno.ETIMEDOUT, "no answer");
    SysfsException high = low.reframe("write sriov_numvfs=8", "0000:af:00.1", "extra");
    assertThat(high)
        .hasMessage(
            "write sriov_numvfs=8 for 0000:af:00.1: ETIMEDOUT (Connection timed out): no"
                + " answer; extra")
        .hasCause(low);
    assertThat(high.errno()).isEqualTo(Errno.ETIMEDOUT);
    assertThat(high.file()).isEqualTo(f);
    assertThat(high.operation()).isEqualTo("write sriov_numvfs=8");
    assertThat(high.subject()).isEqualTo("0000:af:00.1");
    assertThat(high.detail()).contains("no answer; extra");
  }

  @Test
  void rootPathsAndValidation() {
    SysfsRoot r = new SysfsRoot(dir);
    assertThat(r.sys()).isEqualTo(dir.resolve("sys"));
    assertThat(r.display(r.pciDriversProbe())).isEqualTo("/sys/bus/pci/drivers_probe");
    assertThat(r.display(r.devVfioNoIommuGroup(3))).isEqualTo("/dev/vfio/noiommu-3");
    assertThat(r.containerDevPath(r.devInfiniband("uverbs0")))
        .isEqualTo(Path.of("/dev/infiniband/uverbs0"));
    assertThat(SysfsRoot.system().sys()).isEqualTo(Path.of("/sys"));
    assertThatThrownBy(
            () -> r.pciAttribute(io.sriov.core.value.PciAddress.parse("0000:00:00.0"), "../x"))
        .hasMessage("sysfs entry name has '/': ../x");
    assertThatThrownBy(() -> r.devUio("..")).hasMessage("sysfs entry name must not be . or ..");
  }
}
