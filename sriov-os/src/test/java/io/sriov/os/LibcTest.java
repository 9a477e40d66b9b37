package io.sriov.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding on this machine (Linux x86_64): every failure carries the call's own errno. */
class LibcTest {
  @TempDir Path dir;

  private final Libc libc = Libc.get();

  @Test
  void isBoundHere() {
    assertThat(Libc.unavailableReason()).isEmpty();
    assertThat(Libc.available()).containsSame(libc);
    assertThat(libc.getpid()).isEqualTo((int) ProcessHandle.current().pid());
  }

  @Test
  void effectiveUidIsTheKernelsOne() throws Exception {
    // /proc/self/status "Uid:\treal\teffective\tsaved\tfs"
    String uid =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Uid:"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[2];
    assertThat(libc.geteuid()).isEqualTo(Integer.parseInt(uid));
  }

  @Test
  void openOfAMissingFileThrowsEnoent() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> libc.open(missing.toString(), Libc.O_RDONLY, "open " + missing))
        .isInstanceOf(SyscallException.class)
        .hasMessage("open " + missing + ": ENOENT (No such file or directory)")
        .satisfies(e -> assertThat(((SyscallException) e).errno()).isEqualTo(Errno.ENOENT));
  }

  @Test
  void writeThenReadThroughDescriptors() throws Exception {
    Path f = Files.writeString(dir.resolve("attr"), "old-and-longer");
    ByteBuffer buf = ByteBuffer.allocateDirect(64);
    buf.put(0, "8\n".getBytes(StandardCharsets.US_ASCII));
    int fd = libc.open(f.toString(), Libc.O_WRONLY | Libc.O_TRUNC, "open");
    assertThat(libc.write(fd, libc.address(buf), 2, "write", f)).isEqualTo(2);
    libc.close(fd, "close");
    assertThat(Files.readString(f)).isEqualTo("8\n");

    fd = libc.open(f.toString(), Libc.O_RDONLY, "open");
    try {
      assertThat(libc.read(fd, libc.address(buf), 64, "read", f)).isEqualTo(2);
      assertThat(libc.read(fd, libc.address(buf), 64, "read", f)).isZero();
    } finally {
      libc.closeQuietly(fd);
    }
  }

  @Test
  void writeToADirectoryThrowsEisdirNamingTheOperation() throws Exception {
    assertThatThrownBy(() -> libc.open(dir.toString(), Libc.O_WRONLY, "open " + dir))
        .isInstanceOf(SyscallException.class)
        .hasMessage("open " + dir + ": EISDIR (Is a directory)");
  }

  @Test
  void probesReturnMinusErrnoInsteadOfThrowing() throws Exception {
    ByteBuffer name = ByteBuffer.allocateDirect(64);
    name.put(0, (dir + "/absent\0").getBytes(StandardCharsets.UTF_8));
    long path = libc.address(name);
    assertThat(libc.tryOpenat(Libc.AT_FDCWD, path, Libc.O_RDONLY))
        .isEqualTo(-Errno.ENOENT.number());
    ByteBuffer target = ByteBuffer.allocateDirect(256);
    assertThat(libc.tryReadlinkat(Libc.AT_FDCWD, path, libc.address(target), 256))
        .isEqualTo(-Errno.ENOENT.number());
    Files.createSymbolicLink(dir.resolve("absent"), Path.of("../there"));
    assertThat(libc.tryReadlinkat(Libc.AT_FDCWD, path, libc.address(target), 256)).isEqualTo(8);
  }

  @Test
  void flockConflictsBetweenTwoOpensOfOneProcessAndSurvivesClosingTheOther() throws Exception {
    Path f = Files.writeString(dir.resolve("lock"), "");
    int a = libc.open(f.toString(), Libc.O_RDONLY, "open");
    int b = libc.open(f.toString(), Libc.O_RDONLY, "open");
    try {
      assertThat(libc.tryFlockExclusive(a, "flock a")).isTrue();
      assertThat(libc.tryFlockExclusive(b, "flock b"))
          .as("another open file description")
          .isFalse();
      int c = libc.open(f.toString(), Libc.O_RDONLY, "open");
      libc.close(c, "close"); // an fcntl lock would be gone now
      assertThat(libc.tryFlockExclusive(b, "flock b")).isFalse();
      libc.close(a, "close");
      a = -1;
      assertThat(libc.tryFlockExclusive(b, "flock b")).as("released with its description").isTrue();
    } finally {
      if (a >= 0) {
        libc.closeQuietly(a);
      }
      libc.closeQuietly(b);
    }
    assertThatThrownBy(() -> libc.tryFlockExclusive(b, "flock " + f))
        .isInstanceOf(SyscallException.class)
        .hasMessage("flock " + f + ": EBADF (Bad file descriptor)");
  }

  @Test
  void closingAClosedDescriptorIsEbadf() throws Exception {
    int fd = libc.open(dir.toString(), Libc.O_RDONLY, "open");
    libc.close(fd, "close");
    assertThatThrownBy(() -> libc.close(fd, "close fd " + fd))
        .isInstanceOf(SyscallException.class)
        .hasMessage("close fd " + fd + ": EBADF (Bad file descriptor)");
  }

  @Test
  void onlyDirectBuffersHaveAnAddress() {
    assertThatThrownBy(() -> libc.address(ByteBuffer.allocate(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a direct buffer");
  }
}
