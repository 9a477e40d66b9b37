package io.sriov.netlink.socket;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.os.Errno;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * One AF_NETLINK socket (NETLINK_ROUTE or NETLINK_GENERIC), bound to the network namespace of the
 * thread that opened it for its whole life. Requests are answered synchronously: {@link #execute}
 * waits for the kernel's ack, {@link #get} for one reply, {@link #dump} for a multi-part dump
 * (retried when the kernel flags it NLM_F_DUMP_INTR). NLMSG_ERROR becomes {@link ErrnoException}
 * with the errno and the extended-ack text (NETLINK_EXT_ACK is on). Each datagram is sized with
 * {@code MSG_PEEK|MSG_TRUNC} first and the receive buffer grows to fit it, so a PF with 256 VFs is
 * read whole.
 *
 * <p>Not thread-safe: one owner at a time (the clients above serialise their requests).
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final int INITIAL_RECEIVE = 32 * 1024;
  private static final int MAX_RECEIVE = 16 * 1024 * 1024;
  private static final int SOCKADDR_NL_SIZE = 12;

  private final Libc nat;
  private final int fd;
  private final int protocol;
  // sockaddr_nl 0..12, socklen 16, int option 20, pollfd[2] 24..40, eventfd value 40..48,
  // struct iovec 48..64, struct msghdr 64..120
  private final ByteBuffer scratch;
  private final long scratchAddr;
  private final int wakeFd;
  private ByteBuffer rx;
  private long rxAddr;
  private int seq;
  private volatile boolean closed;

  private NetlinkSocket(Libc nat, int fd, int protocol, int wakeFd, int initialReceive) {
    this.nat = nat;
    this.fd = fd;
    this.protocol = protocol;
    this.wakeFd = wakeFd;
    this.scratch = ByteBuffer.allocateDirect(128).order(ByteOrder.nativeOrder());
    this.scratchAddr = nat.address(scratch);
    allocateReceive(initialReceive);
    this.seq = (int) (System.nanoTime() & 0x3fffffff);
  }

  /** Empty when netlink can be used here; otherwise why not (not Linux, jnr-ffi unusable). */
  public static Optional<String> unavailableReason() {
    return Libc.unavailableReason();
  }

  /**
   * Opens a request socket for {@code protocol} ({@link Netlink#NETLINK_ROUTE} or {@link
   * Netlink#NETLINK_GENERIC}) in the calling thread's network namespace.
   */
  public static NetlinkSocket open(int protocol) throws ErrnoException {
    return open(protocol, 0);
  }

  /**
   * Opens a socket subscribed to the multicast {@code groups} (bit mask, e.g. {@code RTMGRP_LINK}),
   * with a 1 MiB receive buffer and a wake-up fd so a blocked {@link #receive(int, String)} can be
   * interrupted by {@link #wakeup()}.
   */
  public static NetlinkSocket open(int protocol, int groups) throws ErrnoException {
    return open(protocol, groups, INITIAL_RECEIVE);
  }

  /**
   * As {@link #open(int, int)} with the receive buffer starting at {@code initialReceiveBytes} (it
   * grows to fit any datagram; tests start it small to exercise the sizing).
   */
  public static NetlinkSocket open(int protocol, int groups, int initialReceiveBytes)
      throws ErrnoException {
    if (initialReceiveBytes < 16 || initialReceiveBytes > MAX_RECEIVE) {
      throw new IllegalArgumentException(
          "initial receive buffer out of range 16-" + MAX_RECEIVE + ": " + initialReceiveBytes);
    }
    Libc nat = Libc.get();
    String what = protocolName(protocol);
    int fd;
    try {
      fd = nat.socket(Libc.AF_NETLINK, Libc.SOCK_RAW, protocol, "socket AF_NETLINK " + what);
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
    int wake = -1;
    try {
      if (groups != 0) {
        wake = nat.eventfd(Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK, "eventfd for " + what);
      }
      NetlinkSocket s = new NetlinkSocket(nat, fd, protocol, wake, initialReceiveBytes);
      s.configure(groups);
      return s;
    } catch (SyscallException e) {
      closeAfterFailure(nat, fd, wake);
      throw new ErrnoException(e);
    } catch (ErrnoException | RuntimeException e) {
      closeAfterFailure(nat, fd, wake);
      throw e;
    }
  }

  private static void closeAfterFailure(Libc nat, int fd, int wake) {
    // already failing; the original error is the one to report
    nat.closeQuietly(fd);
    if (wake >= 0) {
      nat.closeQuietly(wake);
    }
  }

  /** The kernel-side receive buffer of a subscribed socket (SO_RCVBUFFORCE), 1 MiB by default. */
  public static final int DEFAULT_GROUP_SOCKET_BUFFER = 1 << 20;

  /**
   * Sets the kernel-side receive buffer (SO_RCVBUFFORCE as root, else SO_RCVBUF capped by
   * net.core.rmem_max). A subscribed socket that falls behind by more than this loses events and
   * its next receive fails with ENOBUFS.
   */
  public void setKernelReceiveBuffer(int bytes) throws ErrnoException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("socket receive buffer must be positive: " + bytes);
    }
    try {
      setIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
    } catch (ErrnoException e) {
      setIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes, "SO_RCVBUF");
    }
  }

  private void configure(int groups) throws ErrnoException, SyscallException {
    String what = protocolName(protocol);
    setIntOption(Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1, what + " NETLINK_EXT_ACK");
    setIntOption(Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1, what + " NETLINK_CAP_ACK");
    if (protocol == Netlink.NETLINK_ROUTE) {
      // Makes the kernel honour the filters in dump requests (ifa_index, rtm_table...).
      setIntOption(
          Netlink.SOL_NETLINK, Netlink.NETLINK_GET_STRICT_CHK, 1, what + " NETLINK_GET_STRICT_CHK");
    }
    if (groups != 0) {
      setKernelReceiveBuffer(DEFAULT_GROUP_SOCKET_BUFFER);
    }
    // bind(AF_NETLINK, pid 0 = kernel assigns, groups)
    writeSockaddr(0, groups);
    nat.bind(fd, scratchAddr, SOCKADDR_NL_SIZE, "bind " + what + " groups=" + groups);
  }

  private void setIntOption(int level, int name, int value, String op) throws ErrnoException {
    scratch.putInt(20, value);
    try {
      nat.setsockopt(fd, level, name, scratchAddr + 20, 4, "setsockopt " + op);
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
  }

  private void writeSockaddr(int pid, int groups) {
    scratch.putShort(0, (short) Libc.AF_NETLINK);
    scratch.putShort(2, (short) 0);
    scratch.putInt(4, pid);
    scratch.putInt(8, groups);
  }

  /** The port id the kernel assigned at bind (nl_pid of getsockname). */
  public int portId() throws ErrnoException {
    scratch.putInt(16, SOCKADDR_NL_SIZE);
    try {
      nat.getsockname(fd, scratchAddr, scratchAddr + 16, "getsockname");
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
    return scratch.getInt(4);
  }

  /** The current receive buffer size in bytes (grows to the largest datagram seen). */
  public int receiveCapacity() {
    return rx.capacity();
  }

  public int protocol() {
    return protocol;
  }

  /** The next sequence number for a request. */
  public int nextSeq() {
    seq = (seq + 1) & 0x7fffffff;
    return seq;
  }

  /** Sends one finished message (position 0 .. limit) to the kernel. */
  public void send(ByteBuffer msg, String op) throws ErrnoException {
    ensureOpen();
    long addr = nat.address(msg) + msg.position();
    try {
      nat.send(fd, addr, msg.remaining(), 0, "send", op);
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
  }

  /**
   * Receives one datagram, growing the buffer to fit it. The returned buffer (host byte order,
   * position 0, limit = length) is valid until the next receive. Datagrams not sent by the kernel
   * (nl_pid != 0) are dropped.
   */
  public ByteBuffer receive(String op) throws ErrnoException {
    ensureOpen();
    while (true) {
      long size = recvmsg(0, Libc.MSG_PEEK | Libc.MSG_TRUNC, op);
      if (size > rx.capacity()) {
        if (size > MAX_RECEIVE) {
          throw new ErrnoException("recv " + op + " (" + size + "-byte datagram)", Errno.EMSGSIZE);
        }
        allocateReceive((int) Math.max(size, (long) rx.capacity() * 2));
      }
      long n = recvmsg(rx.capacity(), 0, op);
      if (scratch.getInt(4) != 0) {
        continue; // not from the kernel
      }
      rx.clear();
      rx.limit((int) Math.min(n, rx.capacity()));
      return rx;
    }
  }

  /** recvmsg(2) into the receive buffer (at most {@code len} bytes) with the sender address. */
  private long recvmsg(long len, int flags, String op) throws ErrnoException {
    scratch.putInt(4, -1);
    // struct iovec { void *iov_base; size_t iov_len; }
    scratch.putLong(48, rxAddr);
    scratch.putLong(56, len);
    // struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov;
    //                 size_t msg_iovlen; void *msg_control; size_t msg_controllen; int msg_flags; }
    scratch.putLong(64, scratchAddr);
    scratch.putInt(72, SOCKADDR_NL_SIZE);
    scratch.putInt(76, 0);
    scratch.putLong(80, scratchAddr + 48);
    scratch.putLong(88, 1);
    scratch.putLong(96, 0);
    scratch.putLong(104, 0);
    scratch.putLong(112, 0);
    try {
      return nat.recvmsg(fd, scratchAddr + 64, flags, "recv", op);
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
  }

  /**
   * Waits up to {@code timeoutMs} (-1 = forever) for a datagram; empty when the time passed or
   * {@link #wakeup()} was called. Only on sockets opened with groups.
   */
  public Optional<ByteBuffer> receive(int timeoutMs, String op) throws ErrnoException {
    ensureOpen();
    if (wakeFd < 0) {
      throw new IllegalStateException("receive with timeout needs a socket opened with groups");
    }
    scratch.putInt(24, fd);
    scratch.putShort(28, Libc.POLLIN);
    scratch.putShort(30, (short) 0);
    scratch.putInt(32, wakeFd);
    scratch.putShort(36, Libc.POLLIN);
    scratch.putShort(38, (short) 0);
    try {
      if (nat.poll(scratchAddr + 24, 2, timeoutMs, "poll " + op) == 0) {
        return Optional.empty();
      }
      if (scratch.getShort(38) != 0) {
        nat.read(wakeFd, scratchAddr + 40, 8, "read", "eventfd");
        return Optional.empty();
      }
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
    return Optional.of(receive(op));
  }

  /** Makes a blocked {@link #receive(int, String)} return empty. Thread-safe. */
  public void wakeup() throws ErrnoException {
    if (wakeFd < 0) {
      return;
    }
    ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    one.putLong(0, 1);
    try {
      nat.write(wakeFd, nat.address(one), 8, "write", "eventfd");
    } catch (SyscallException e) {
      throw new ErrnoException(e);
    }
  }

  private void allocateReceive(int size) {
    rx = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    rxAddr = nat.address(rx);
  }

  // ---- request / reply (the protocol logic lives in NetlinkRequests) -----------------------

  /** Decodes one reply message; returns null to skip it. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(MessageReader message) throws MalformedMessageException;
  }

  private final NetlinkRequests.Transport transport =
      new NetlinkRequests.Transport() {
        @Override
        public int nextSeq() {
          return NetlinkSocket.this.nextSeq();
        }

        @Override
        public void send(ByteBuffer msg, String op) throws ErrnoException {
          NetlinkSocket.this.send(msg, op);
        }

        @Override
        public ByteBuffer receive(String op) throws ErrnoException {
          return NetlinkSocket.this.receive(op);
        }
      };

  /** See {@link NetlinkRequests#execute}. */
  public void execute(MessageWriter request, String op) throws NetlinkException {
    NetlinkRequests.execute(transport, request, op);
  }

  /** See {@link NetlinkRequests#get}. */
  public <T> Optional<T> get(MessageWriter request, String op, Decoder<T> decoder, Errno... absent)
      throws NetlinkException {
    return NetlinkRequests.get(transport, request, op, decoder, absent);
  }

  /** See {@link NetlinkRequests#dump}. */
  public <T> List<T> dump(MessageWriter request, String op, Decoder<T> decoder)
      throws NetlinkException {
    return NetlinkRequests.dump(transport, request, op, decoder);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("netlink socket closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    nat.closeQuietly(fd);
    if (wakeFd >= 0) {
      nat.closeQuietly(wakeFd);
    }
  }

  /** The process id (for tests and diagnostics). */
  public static int getpid() {
    return Libc.get().getpid();
  }

  private static String protocolName(int protocol) {
    return switch (protocol) {
      case Netlink.NETLINK_ROUTE -> "NETLINK_ROUTE";
      case Netlink.NETLINK_GENERIC -> "NETLINK_GENERIC";
      default -> "netlink protocol " + protocol;
    };
  }
}
