package io.sriov.netlink;

import java.util.Optional;

/**
 * A system call failed, or the kernel answered a netlink request with NLMSG_ERROR. Keeps the errno,
 * its symbolic name and, for netlink, the extended-ack message (NLMSGERR_ATTR_MSG) when the kernel
 * sent one. Message format: {@code <operation>: <ENAME> (<strerror>)[: <extack>]}.
 */
public final class ErrnoException extends NetlinkException {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String extAck;

  public ErrnoException(String operation, int errno) {
    this(operation, errno, null);
  }

  public ErrnoException(String operation, int errno, String extAck) {
    super(operation, format(operation, errno, extAck), null);
    this.errno = errno;
    this.extAck = extAck == null || extAck.isEmpty() ? null : extAck;
  }

  private static String format(String operation, int errno, String extAck) {
    String base = operation + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")";
    return extAck == null || extAck.isEmpty() ? base : base + ": " + extAck;
  }

  /** The positive errno value, e.g. 17 for EEXIST. */
  public int errno() {
    return errno;
  }

  /** The symbolic errno name, e.g. {@code EEXIST}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** The kernel's extended-ack text (NLMSGERR_ATTR_MSG), when it sent one. */
  public Optional<String> extAck() {
    return Optional.ofNullable(extAck);
  }
}
