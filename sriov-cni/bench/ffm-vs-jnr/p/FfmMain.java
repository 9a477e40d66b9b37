// Throwaway measurement for sriov-cni/bench/ffm-vs-jnr/run.sh (not part of the build).
package p;
import java.lang.foreign.*;
import java.lang.invoke.*;
import java.nio.*;
import static java.lang.foreign.ValueLayout.*;
public final class FfmMain {
  static final Linker L = Linker.nativeLinker();
  static final SymbolLookup C = L.defaultLookup();
  static final Linker.Option CCS = Linker.Option.captureCallState("errno");
  static final StructLayout CS = Linker.Option.captureStateLayout();
  static final VarHandle ERRNO = CS.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  static MethodHandle h(String n, MemoryLayout r, MemoryLayout... a) {
    return L.downcallHandle(C.find(n).orElseThrow(), r == null ? FunctionDescriptor.ofVoid(a) : FunctionDescriptor.of(r, a), CCS);
  }
  public static void main(String[] a) throws Throwable {
    // the same ~23 functions JnrLibc binds
    if (a.length == 0) {
    MethodHandle open = h("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    MethodHandle openat = h("openat", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    MethodHandle read = h("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    MethodHandle write = h("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    MethodHandle readlinkat = h("readlinkat", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    MethodHandle getdents64 = h("getdents64", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    MethodHandle lseek = h("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    MethodHandle flock = h("flock", JAVA_INT, JAVA_INT, JAVA_INT);
    MethodHandle getsockname = h("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    MethodHandle setsockopt = h("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    MethodHandle poll = h("poll", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    MethodHandle eventfd = h("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    MethodHandle setns = h("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    MethodHandle unshare = h("unshare", JAVA_INT, JAVA_INT);
    MethodHandle mount = h("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG);
    MethodHandle umount2 = h("umount2", JAVA_INT, ADDRESS, JAVA_INT);
    }
    MethodHandle close = h("close", JAVA_INT, JAVA_INT);
    MethodHandle socket = h("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    MethodHandle bind = h("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    MethodHandle send = h("send", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    MethodHandle recvmsg = h("recvmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    MethodHandle getpid = L.downcallHandle(C.find("getpid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    MethodHandle geteuid = L.downcallHandle(C.find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    int pid = (int) getpid.invokeExact();
    MemorySegment cs = Arena.ofConfined().allocate(CS);
    int fd = (int) socket.invokeExact(cs, 16, 3 | 0x80000, 0);
    if (fd < 0) throw new IllegalStateException("socket errno " + (int) ERRNO.get(cs, 0L));
    ByteBuffer sa = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
    sa.putShort(0, (short) 16);
    long saA = MemorySegment.ofBuffer(sa).address();
    if ((int) bind.invokeExact(cs, fd, saA, 12) < 0) throw new IllegalStateException("bind");
    ByteBuffer req = Nl.request();
    long s = (long) send.invokeExact(cs, fd, MemorySegment.ofBuffer(req).address(), 32L, 0);
    if (s != 32) throw new IllegalStateException("send " + s);
    ByteBuffer resp = ByteBuffer.allocateDirect(8192);
    ByteBuffer iov = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    iov.putLong(0, MemorySegment.ofBuffer(resp).address()).putLong(8, 8192);
    ByteBuffer msg = ByteBuffer.allocateDirect(56).order(ByteOrder.nativeOrder());
    msg.putLong(16, MemorySegment.ofBuffer(iov).address()).putLong(24, 1);
    long n = (long) recvmsg.invokeExact(cs, fd, MemorySegment.ofBuffer(msg).address(), 0);
    if (n <= 0) throw new IllegalStateException("recvmsg " + n);
    int r = (int) close.invokeExact(cs, fd);
    System.out.println("ffm " + pid + " " + Nl.name(resp, (int) n));
    Runtime.getRuntime().halt(0);
  }
}
