package io.sriov.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-VF lock against every other holder: a thread of this JVM (also through a second {@link
 * StateDir} on the same root, as the daemon and a test harness may build), another process (the
 * standalone plugin, upstream's sriov-cni: {@code flock(LOCK_EX)} on the same file, played here by
 * util-linux's {@code flock}).
 */
class StateDirTest {
  static final PciAddress VF = PciAddress.parse("0000:01:10.0");
  static final Duration SHORT = Duration.ofMillis(300);

  @TempDir Path dir;

  /** {@code flock -n -x FILE true} from another process: whether it could take the lock now. */
  private static boolean otherProcessCanLock(Path file) throws Exception {
    Process p = new ProcessBuilder("flock", "-n", "-x", file.toString(), "true").start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  private static void timesOut(StateDir s) {
    assertThatThrownBy(() -> s.lock(VF, SHORT))
        .isInstanceOf(VfLockTimeoutException.class)
        .hasMessage(
            "VF 0000:01:10.0 is busy: another ADD or DEL held its lock for 300 ms; try again later");
  }

  @Test
  void lockFileIsUpstreamsAndOwnerOnly() throws Exception {
    StateDir s = new StateDir(dir);
    try (StateDir.VfLock l = s.lock(VF, SHORT)) {
      Path file = dir.resolve("pci/vf_lock/0000:01:10.0.lock");
      assertThat(file).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void anotherProcessHoldingUpstreamsFlockMakesItWait() throws Exception {
    StateDir s = new StateDir(dir);
    Path file = s.lockFile(VF);
    Files.createDirectories(file.getParent());
    Process holder =
        new ProcessBuilder("flock", "-x", file.toString(), "sh", "-c", "echo held; sleep 30")
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("held\n");
      timesOut(s);
    } finally {
      holder.descendants().forEach(ProcessHandle::destroy); // the shell inherited the lock's fd
      holder.destroy();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    try (StateDir.VfLock l = s.lock(VF, SHORT)) {
      assertThat(otherProcessCanLock(file)).as("held by this process").isFalse();
    }
    assertThat(otherProcessCanLock(file)).as("released").isTrue();
  }

  @Test
  void threadsOfOneJvmExcludeEachOtherAlsoThroughTwoInstances() throws Exception {
    StateDir first = new StateDir(dir);
    StateDir second = new StateDir(dir);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () -> {
              try (StateDir.VfLock l = first.lock(VF, SHORT)) {
                held.countDown();
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    timesOut(first);
    timesOut(second);
    // the waits that gave up closed their descriptors: the holder's lock must survive that
    assertThat(otherProcessCanLock(first.lockFile(VF))).as("still held").isFalse();
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
    try (StateDir.VfLock l = second.lock(VF, SHORT)) {
      assertThat(otherProcessCanLock(first.lockFile(VF))).isFalse();
    }
  }

  @Test
  void releaseIsIdempotentAndTheLockCanBeTakenAgain() throws Exception {
    StateDir s = new StateDir(dir);
    StateDir.VfLock l = s.lock(VF, SHORT);
    l.close();
    l.close();
    try (StateDir.VfLock again = s.lock(VF, SHORT)) {
      assertThat(otherProcessCanLock(s.lockFile(VF))).isFalse();
    }
  }
}
