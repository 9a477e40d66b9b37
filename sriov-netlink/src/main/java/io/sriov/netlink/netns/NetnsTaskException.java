package io.sriov.netlink.netns;

/** A task run inside a network namespace failed with a checked exception of its own. */
public final class NetnsTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NetnsTaskException(String thread, Throwable cause) {
    super("task in network namespace thread " + thread + " failed: " + cause, cause);
  }
}
