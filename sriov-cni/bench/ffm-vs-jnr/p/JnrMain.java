// Throwaway measurement for sriov-cni/bench/ffm-vs-jnr/run.sh (not part of the build).
package p;
import java.nio.*;
import jnr.ffi.*;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.*;
import jnr.ffi.types.*;
public final class JnrMain {
  public interface Functions {
    @SaveError int open(String path, int flags, int mode);
    @SaveError int openat(int dirfd, long path, int flags, int mode);
    @SaveError @ssize_t long read(int fd, long buf, @size_t long count);
    @SaveError @ssize_t long write(int fd, long buf, @size_t long count);
    @SaveError @ssize_t long readlinkat(int dirfd, long path, long buf, @size_t long size);
    @SaveError @ssize_t long getdents64(int fd, long buf, @size_t long count);
    @SaveError @off_t long lseek(int fd, @off_t long offset, int whence);
    @SaveError int close(int fd);
    @SaveError int flock(int fd, int operation);
    @SaveError int socket(int domain, int type, int protocol);
    @SaveError int bind(int fd, long addr, int len);
    @SaveError int getsockname(int fd, long addr, long lenPtr);
    @SaveError int setsockopt(int fd, int level, int name, long val, int len);
    @SaveError @ssize_t long send(int fd, long buf, @size_t long len, int flags);
    @SaveError @ssize_t long recvmsg(int fd, long msg, int flags);
    @SaveError int poll(long fds, @size_t long nfds, int timeoutMs);
    @SaveError int eventfd(int initval, int flags);
    @SaveError int setns(int fd, int nstype);
    @SaveError int unshare(int flags);
    @SaveError int mount(String source, String target, String fsType, long flags, long data);
    @SaveError int umount2(String target, int flags);
    @IgnoreError int getpid();
    @IgnoreError int geteuid();
  }
  public static void main(String[] a) {
    Platform.CPU cpu = Platform.getNativePlatform().getCPU();
    Functions c = LibraryLoader.create(Functions.class).option(LibraryOption.LoadNow, true).failImmediately().load("c");
    Runtime rt = Runtime.getRuntime(c);
    int pid = c.getpid();
    int fd = c.socket(16, 3 | 0x80000, 0);
    if (fd < 0) throw new IllegalStateException("socket errno " + rt.getLastError());
    ByteBuffer sa = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
    sa.putShort(0, (short) 16);
    if (c.bind(fd, Pointer.wrap(rt, sa).address(), 12) < 0) throw new IllegalStateException("bind");
    ByteBuffer req = Nl.request();
    long s = c.send(fd, Pointer.wrap(rt, req).address(), 32, 0);
    if (s != 32) throw new IllegalStateException("send " + s);
    ByteBuffer resp = ByteBuffer.allocateDirect(8192);
    ByteBuffer iov = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    iov.putLong(0, Pointer.wrap(rt, resp).address()).putLong(8, 8192);
    ByteBuffer msg = ByteBuffer.allocateDirect(56).order(ByteOrder.nativeOrder());
    msg.putLong(16, Pointer.wrap(rt, iov).address()).putLong(24, 1);
    long n = c.recvmsg(fd, Pointer.wrap(rt, msg).address(), 0);
    if (n <= 0) throw new IllegalStateException("recvmsg " + n);
    c.close(fd);
    System.out.println("jnr " + pid + " " + Nl.name(resp, (int) n) + " " + cpu);
    java.lang.Runtime.getRuntime().halt(0);
  }
}
