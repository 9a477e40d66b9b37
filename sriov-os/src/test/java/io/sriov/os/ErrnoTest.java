package io.sriov.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import org.junit.jupiter.api.Test;

class ErrnoTest {

  @Test
  void namedValuesReadLikeGlibc() {
    assertThat(Errno.EBUSY.number()).isEqualTo(16);
    assertThat(Errno.EBUSY.name()).isEqualTo("EBUSY");
    assertThat(Errno.EBUSY.description()).isEqualTo("Device or resource busy");
    assertThat(Errno.EBUSY.describe()).isEqualTo("EBUSY (Device or resource busy)");
    assertThat(Errno.EBUSY).hasToString("EBUSY");
    assertThat(Errno.ENOBUFS.describe()).isEqualTo("ENOBUFS (No buffer space available)");
    assertThat(Errno.ETIMEDOUT.describe()).isEqualTo("ETIMEDOUT (Connection timed out)");
    assertThat(Errno.ERANGE.describe()).isEqualTo("ERANGE (Numerical result out of range)");
  }

  @Test
  void ofReturnsTheNamedConstantOrKeepsTheNumber() {
    assertThat(Errno.of(16)).isSameAs(Errno.EBUSY);
    assertThat(Errno.of(13)).isEqualTo(new Errno(13));
    assertThat(Errno.of(13).describe()).isEqualTo("EACCES (Permission denied)");
    Errno unnamed = Errno.of(41); // a hole in the generic numbering
    assertThat(unnamed.number()).isEqualTo(41);
    assertThat(unnamed.known()).isFalse();
    assertThat(unnamed.describe()).isEqualTo("E41 (Unknown error 41)");
    Errno beyond = Errno.of(4095);
    assertThat(beyond.describe()).isEqualTo("E4095 (Unknown error 4095)");
    assertThat(beyond).isEqualTo(new Errno(4095));
  }

  @Test
  void notPositiveIsNotAnErrno() {
    assertThatThrownBy(() -> Errno.of(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("errno must be positive: 0");
    assertThatThrownBy(() -> Errno.of(-16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("errno must be positive: -16");
  }

  @Test
  void errnoOfAnIoExceptionComesFromTheCallOrTheTypeNeverTheText() {
    assertThat(Errno.of(new SyscallException("open /x", Errno.ENXIO))).isSameAs(Errno.ENXIO);
    assertThat(Errno.of(new NoSuchFileException("/x"))).isEqualTo(Errno.ENOENT);
    assertThat(Errno.of(new AccessDeniedException("/x"))).isEqualTo(Errno.EACCES);
    assertThat(Errno.of(new NotDirectoryException("/x"))).isEqualTo(Errno.ENOTDIR);
    assertThat(Errno.of(new NotLinkException("/x"))).isEqualTo(Errno.EINVAL);
    assertThat(Errno.of(new FileAlreadyExistsException("/x"))).isEqualTo(Errno.EEXIST);
    assertThat(Errno.of(new DirectoryNotEmptyException("/x"))).isEqualTo(Errno.ENOTEMPTY);
    assertThat(Errno.of(new FileSystemLoopException("/x"))).isEqualTo(Errno.ELOOP);
    // a message saying "Device or resource busy" is not read: the JDK kept the number
    assertThat(Errno.of(new IOException("Device or resource busy"))).isEqualTo(Errno.EIO);
    assertThat(Errno.of(new FileSystemException("/x", null, "Operation not supported")))
        .isEqualTo(Errno.EIO);
    assertThat(Errno.of(new IOException((String) null))).isEqualTo(Errno.EIO);
  }

  @Test
  void syscallExceptionMessageNamesOperationAndErrno() {
    SyscallException e = new SyscallException("open /sys/bus/pci/drivers/igb/bind", Errno.ENOENT);
    assertThat(e)
        .hasMessage("open /sys/bus/pci/drivers/igb/bind: ENOENT (No such file or directory)");
    assertThat(e.operation()).isEqualTo("open /sys/bus/pci/drivers/igb/bind");
    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
  }
}
