package io.sriov.netlink;

/**
 * A failure at the netlink / namespace OS edge. Always names the operation that failed ({@code
 * RTM_NEWLINK veth0}, {@code setns /var/run/netns/x}). Subclasses carry the errno ({@link
 * ErrnoException}) or describe a malformed kernel reply ({@link MalformedMessageException}).
 */
public abstract sealed class NetlinkException extends Exception
    permits ErrnoException, MalformedMessageException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  protected NetlinkException(String operation, String message, Throwable cause) {
    super(message, cause);
    this.operation = operation;
  }

  /** What was attempted, e.g. {@code RTM_NEWLINK veth0} or {@code open /var/run/netns/x}. */
  public String operation() {
    return operation;
  }
}
