package io.sriov.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrerequisitesTest {
  @TempDir Path dir;

  private Path status(String uidLine) throws Exception {
    return Files.writeString(
        dir.resolve("status"), "Name:\tjava\nUmask:\t0022\n" + uidLine + "Gid:\t0\t0\t0\t0\n");
  }

  @Test
  void effectiveUidIsTheSecondFieldOfTheUidLine() throws Exception {
    // sudo-like: real uid 1000, effective 0
    assertThat(Prerequisites.effectiveUid(status("Uid:\t1000\t0\t0\t0\n"))).hasValue(0);
    // setuid dropped: real 0, effective 1000
    assertThat(Prerequisites.effectiveUid(status("Uid:\t0\t1000\t0\t0\n"))).hasValue(1000);
  }

  @Test
  void unreadableOrOddStatusIsNoUid() throws Exception {
    assertThat(Prerequisites.effectiveUid(dir.resolve("missing"))).isEmpty();
    assertThat(Prerequisites.effectiveUid(status(""))).isEmpty();
    assertThat(Prerequisites.effectiveUid(status("Uid:\t1000\n"))).isEmpty();
    assertThat(Prerequisites.effectiveUid(status("Uid:\tx\ty\n"))).isEmpty();
  }

  @Test
  void thisProcessAgreesWithTheKernel() throws Exception {
    // the real file parsed the same way, checked against id -u (the effective uid)
    Process id = new ProcessBuilder("id", "-u").start();
    int uid = Integer.parseInt(new String(id.getInputStream().readAllBytes()).strip());
    assertThat(id.waitFor()).isZero();
    assertThat(Prerequisites.effectiveUid(Path.of("/proc/self/status"))).hasValue(uid);
    assertThat(Prerequisites.isRoot()).isEqualTo(uid == 0);
  }
}
