package io.sriov.netlink;

import io.sriov.os.Errno;
import io.sriov.os.SyscallException;
import java.util.Objects;
import java.util.Optional;

/**
 * A system call failed, or the kernel answered a netlink request with NLMSG_ERROR. Keeps the errno
 * (the one the call saved, or the one in the kernel's answer) and, for netlink, the extended-ack
 * message (NLMSGERR_ATTR_MSG) when the kernel sent one. Message format: {@code <operation>: <ENAME>
 * (<strerror>)[: <extack>]}.
 */
public final class ErrnoException extends NetlinkException {
  private static final long serialVersionUID = 1L;

  private final Errno errno;
  private final String extAck;

  public ErrnoException(String operation, Errno errno) {
    this(operation, errno, null);
  }

  public ErrnoException(String operation, Errno errno, String extAck) {
    this(operation, errno, extAck, null);
  }

  /** A failed system call of the libc binding, as a netlink failure (same operation and errno). */
  public ErrnoException(SyscallException e) {
    this(e.operation(), e.errno(), null, e);
  }

  private ErrnoException(String operation, Errno errno, String extAck, Throwable cause) {
    super(operation, format(operation, errno, extAck), cause);
    this.errno = Objects.requireNonNull(errno, "errno");
    this.extAck = extAck == null || extAck.isEmpty() ? null : extAck;
  }

  private static String format(String operation, Errno errno, String extAck) {
    String base = operation + ": " + errno.describe();
    return extAck == null || extAck.isEmpty() ? base : base + ": " + extAck;
  }

  /** The errno, e.g. EEXIST. */
  public Errno errno() {
    return errno;
  }

  /** The symbolic errno name, e.g. {@code EEXIST}. */
  public String errnoName() {
    return errno.name();
  }

  /** The kernel's extended-ack text (NLMSGERR_ATTR_MSG), when it sent one. */
  public Optional<String> extAck() {
    return Optional.ofNullable(extAck);
  }
}
