package io.sriov.netlink;

/**
 * A netlink message or attribute does not fit its bounds or has the wrong payload size. The message
 * names the structure and the byte offset within the received datagram.
 */
public final class MalformedMessageException extends NetlinkException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String operation, String message) {
    super(operation, operation + ": malformed reply: " + message, null);
  }

  /** Without an operation: thrown by the codec, which does not know what request it decodes. */
  public MalformedMessageException(String message) {
    super("decode", "malformed netlink message: " + message, null);
  }
}
