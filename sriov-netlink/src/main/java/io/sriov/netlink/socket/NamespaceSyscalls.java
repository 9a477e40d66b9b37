package io.sriov.netlink.socket;

import io.sriov.netlink.ErrnoException;

/**
 * The namespace and mount system calls behind {@code io.sriov.netlink.netns}, with errors carrying
 * errno and the path. {@code setns}/{@code unshare} affect only the calling thread: callers run
 * them on a dedicated platform thread.
 */
public final class NamespaceSyscalls {
  private NamespaceSyscalls() {}

  /** {@code open(path, O_RDONLY|O_CLOEXEC)} of a namespace file. */
  public static int open(String path) throws ErrnoException {
    return NativeLinux.get()
        .open(path, NativeLinux.O_RDONLY | NativeLinux.O_CLOEXEC, "open netns " + path);
  }

  public static void close(int fd, String what) throws ErrnoException {
    NativeLinux.get().close(fd, "close " + what);
  }

  /** {@code setns(fd, CLONE_NEWNET)}: moves the calling thread into the namespace. */
  public static void enterNet(int fd, String what) throws ErrnoException {
    NativeLinux.get().setns(fd, NativeLinux.CLONE_NEWNET, "setns " + what);
  }

  /** {@code unshare(CLONE_NEWNET)}: gives the calling thread a new, empty network namespace. */
  public static void unshareNet(String what) throws ErrnoException {
    NativeLinux.get().unshare(NativeLinux.CLONE_NEWNET, "unshare CLONE_NEWNET for " + what);
  }

  /** {@code mount --bind source target}. */
  public static void bindMount(String source, String target) throws ErrnoException {
    NativeLinux.get()
        .mount(
            source, target, "none", NativeLinux.MS_BIND, "mount --bind " + source + " " + target);
  }

  /** {@code mount --make-rshared dir}; EINVAL when dir is not a mount point. */
  public static void makeRecursivelyShared(String dir) throws ErrnoException {
    NativeLinux.get()
        .mount(
            "",
            dir,
            "none",
            NativeLinux.MS_SHARED | NativeLinux.MS_REC,
            "mount --make-rshared " + dir);
  }

  /** {@code mount --rbind dir dir}: makes dir a mount point. */
  public static void bindMountSelf(String dir) throws ErrnoException {
    NativeLinux.get()
        .mount(dir, dir, "none", NativeLinux.MS_BIND | NativeLinux.MS_REC, "mount --rbind " + dir);
  }

  /** {@code umount -l target}. */
  public static void detach(String target) throws ErrnoException {
    NativeLinux.get().umount2(target, NativeLinux.MNT_DETACH, "umount -l " + target);
  }
}
