package io.sriov.os;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * The user id of the process at the other end of a connected Unix socket, read with {@code
 * getsockopt(fd, SOL_SOCKET, SO_PEERCRED)} ({@code struct ucred}): the number only. The JDK's own
 * {@code SO_PEERCRED} option also looks the user's and group's names up ({@code getpwuid}, {@code
 * getgrgid}: {@code /etc/passwd} and {@code /etc/group} read per call), which is most of its cost.
 *
 * <p>A {@link SocketChannel} does not show its descriptor: this reads it through the JDK's {@code
 * sun.nio.ch.SelChImpl#getFDVal}, which needs {@code java.base/sun.nio.ch} exported to this code
 * (the daemon's jar manifest: {@code Add-Exports: java.base/sun.nio.ch}; for tests, {@code
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED}). Where it is not, or libc is not bound, {@link
 * #available()} is empty and {@link #unavailableReason()} says why; callers keep the JDK's option.
 */
public final class PeerCredentials {
  /** {@code struct ucred { pid_t pid; uid_t uid; gid_t gid; }}: 12 bytes, uid at offset 4. */
  private static final int UCRED_SIZE = 12;

  private static final int UID_OFFSET = 4;

  private final Libc libc;
  private final MethodHandle fdOf;

  private PeerCredentials(Libc libc, MethodHandle fdOf) {
    this.libc = libc;
    this.fdOf = fdOf;
  }

  /** The one-time probe (initialisation-on-demand holder). */
  private static final class Holder {
    static final PeerCredentials INSTANCE;
    static final String FAILURE;

    static {
      PeerCredentials instance = null;
      String failure;
      Optional<Libc> libc = Libc.available();
      if (libc.isEmpty()) {
        failure = Libc.unavailableReason().orElseThrow();
      } else {
        try {
          Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
          MethodHandle h =
              MethodHandles.lookup()
                  .findVirtual(selCh, "getFDVal", MethodType.methodType(int.class))
                  .asType(MethodType.methodType(int.class, SocketChannel.class));
          instance = new PeerCredentials(libc.get(), h);
          failure = null;
        } catch (ReflectiveOperationException | RuntimeException e) {
          failure =
              "a socket channel's descriptor is not readable here (java.base/sun.nio.ch not"
                  + " exported to this code): "
                  + e;
        }
      }
      INSTANCE = instance;
      FAILURE = failure;
    }
  }

  /** The reader, when descriptors and libc are reachable here. Never throws. */
  public static Optional<PeerCredentials> available() {
    return Optional.ofNullable(Holder.INSTANCE);
  }

  /** Empty when {@link #available()}; otherwise why not. */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(Holder.FAILURE);
  }

  /**
   * The peer's user id, as the kernel recorded it at {@code connect} ({@code SO_PEERCRED}).
   *
   * @param ch a connected Unix-domain socket channel
   */
  public int uid(SocketChannel ch) throws SyscallException {
    int fd;
    try {
      fd = (int) fdOf.invokeExact(ch);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("descriptor of " + ch + ": " + e, e);
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(UCRED_SIZE + 4).order(ByteOrder.nativeOrder());
    buf.putInt(UCRED_SIZE, UCRED_SIZE); // socklen_t in/out, after the struct
    long at = libc.address(buf);
    libc.getsockopt(
        fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, at, at + UCRED_SIZE, "getsockopt SO_PEERCRED");
    if (buf.getInt(UCRED_SIZE) < UID_OFFSET + 4) {
      throw new IllegalStateException(
          "getsockopt SO_PEERCRED returned " + buf.getInt(UCRED_SIZE) + " bytes, not a ucred");
    }
    return buf.getInt(UID_OFFSET);
  }

  @Override
  public String toString() {
    return "PeerCredentials[getsockopt SO_PEERCRED]";
  }
}
