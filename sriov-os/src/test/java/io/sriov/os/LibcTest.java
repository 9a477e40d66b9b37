package io.sriov.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
  void fileCallsRelativeToADirectoryDescriptor() throws Exception {
    ByteBuffer names = ByteBuffer.allocateDirect(64);
    names.put(0, "new\0old\0".getBytes(StandardCharsets.UTF_8));
    long newName = libc.address(names);
    long oldName = newName + 4;
    int dirfd = libc.open(dir.toString(), Libc.O_RDONLY | libc.oDirectory(), "open " + dir);
    try {
      int create = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | libc.oNofollow();
      int fd = libc.tryOpenat(dirfd, oldName, create, 0600);
      assertThat(fd).isNotNegative();
      assertThat(libc.tryOpenat(dirfd, oldName, create, 0600)).isEqualTo(-Errno.EEXIST.number());
      libc.fchmod(fd, 0640, "chmod", "old");
      libc.fsync(fd, "fsync", "old");
      libc.close(fd, "close", "old");
      libc.renameat(dirfd, oldName, dirfd, newName, "rename", "old");
      libc.fsync(dirfd, "fsync", dir);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new"))))
          .isEqualTo("rw-r-----");
      assertThat(dir.resolve("old")).doesNotExist();
      assertThatThrownBy(() -> libc.renameat(dirfd, oldName, dirfd, newName, "rename", "old"))
          .isInstanceOf(SyscallException.class)
          .hasMessage("rename old: ENOENT (No such file or directory)");
      assertThat(libc.tryUnlinkat(dirfd, newName, 0)).isZero();
      assertThat(libc.tryUnlinkat(dirfd, newName, 0)).isEqualTo(-Errno.ENOENT.number());
      // O_NOFOLLOW: a symlink at the name is not opened through
      Files.createSymbolicLink(dir.resolve("old"), dir.resolve("elsewhere"));
      assertThat(libc.tryOpenat(dirfd, oldName, Libc.O_WRONLY | libc.oNofollow(), 0))
          .isEqualTo(-Errno.ELOOP.number());
      assertThatThrownBy(() -> libc.fsync(-1, "fsync", "nothing"))
          .hasMessage("fsync nothing: EBADF (Bad file descriptor)");
    } finally {
      libc.closeQuietly(dirfd);
    }
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
