package io.sriov.netlink.socket;

import io.sriov.netlink.ErrnoException;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;

/**
 * The namespace and mount system calls behind {@code io.sriov.netlink.netns}, with errors carrying
 * errno and the path. {@code setns}/{@code unshare} affect only the calling thread: callers run
 * them on a dedicated platform thread.
 */
public final class NamespaceSyscalls {
  private NamespaceSyscalls() {}

  /** One libc call whose failure becomes this module's {@link ErrnoException}. */
  @FunctionalInterface
  private interface Call<T> {
    T run(Libc libc) throws SyscallException;
  }

  private static <T> T call(Call<T> c) throws ErrnoException {
    try {
      return c.run(Libc.get());
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
  }

  /** {@code open(path, O_RDONLY|O_CLOEXEC)} of a namespace file. */
  public static int open(String path) throws ErrnoException {
    return call(l -> l.open(path, Libc.O_RDONLY, "open netns " + path));
  }

  public static void close(int fd, String what) throws ErrnoException {
    call(
        l -> {
          l.close(fd, "close " + what);
          return null;
        });
  }

  /** {@code setns(fd, CLONE_NEWNET)}: moves the calling thread into the namespace. */
  public static void enterNet(int fd, String what) throws ErrnoException {
    call(
        l -> {
          l.setns(fd, Libc.CLONE_NEWNET, "setns " + what);
          return null;
        });
  }

  /** {@code unshare(CLONE_NEWNET)}: gives the calling thread a new, empty network namespace. */
  public static void unshareNet(String what) throws ErrnoException {
    call(
        l -> {
          l.unshare(Libc.CLONE_NEWNET, "unshare CLONE_NEWNET for " + what);
          return null;
        });
  }

  /** {@code mount --bind source target}. */
  public static void bindMount(String source, String target) throws ErrnoException {
    mount(source, target, Libc.MS_BIND, "mount --bind " + source + " " + target);
  }

  /** {@code mount --make-rshared dir}; EINVAL when dir is not a mount point. */
  public static void makeRecursivelyShared(String dir) throws ErrnoException {
    mount("", dir, Libc.MS_SHARED | Libc.MS_REC, "mount --make-rshared " + dir);
  }

  /** {@code mount --rbind dir dir}: makes dir a mount point. */
  public static void bindMountSelf(String dir) throws ErrnoException {
    mount(dir, dir, Libc.MS_BIND | Libc.MS_REC, "mount --rbind " + dir);
  }

  private static void mount(String source, String target, long flags, String op)
      throws ErrnoException {
    call(
        l -> {
          l.mount(source, target, "none", flags, op);
          return null;
        });
  }

  /** {@code umount -l target}. */
  public static void detach(String target) throws ErrnoException {
    call(
        l -> {
          l.umount2(target, Libc.MNT_DETACH, "umount -l " + target);
          return null;
        });
  }
}
