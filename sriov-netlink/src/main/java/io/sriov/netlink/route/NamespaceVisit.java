package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NetnsExecutor;
import java.nio.file.Path;

/**
 * A stay in one network namespace that starts before its work is known ({@link
 * RtnlNamespaces#visit}): on the kernel a thread enters the namespace at once and opens rtnetlink
 * there, beside the caller's other work, and then runs what must run inside ({@link #run}: a pod's
 * sysctls once the VF is there) without a thread of its own. Close it whether or not it was used.
 */
public interface NamespaceVisit extends AutoCloseable {

  /** The namespace file visited. */
  Path namespace();

  /**
   * rtnetlink bound to the namespace, as {@link RtnlNamespaces#open} gives it (the same failures,
   * e.g. {@code ENOENT} for a namespace file that is gone); the caller closes it. Once per visit.
   */
  RtnlOperations rtnl() throws NetlinkException;

  /**
   * Runs {@code task} on a thread inside the namespace and returns its result (failures as {@link
   * NetnsExecutor#run}). Only a visit on the kernel ({@link KernelRtnlNamespaces}) has such a
   * thread; others refuse with {@link UnsupportedOperationException}, never running it elsewhere.
   */
  <T> T run(NetnsExecutor.Task<T> task) throws NetlinkException;

  /**
   * Hands {@code task} to the thread inside without waiting, so the caller works beside it; {@link
   * Pending#await} gives its result or failure as {@link #run} would. This default runs it at once
   * through {@link #run} (a visit without a thread refuses it there).
   */
  default <T> Pending<T> submit(NetnsExecutor.Task<T> task) {
    try {
      T result = run(task);
      return () -> result;
    } catch (NetlinkException | RuntimeException e) {
      return () -> {
        throw e;
      };
    }
  }

  /** A task handed to the visit's thread ({@link #submit}). */
  @FunctionalInterface
  interface Pending<T> {
    /** Waits for the task: its result, or its failure as {@link NamespaceVisit#run} gives it. */
    T await() throws NetlinkException;
  }

  /** Ends the visit: its thread ends, an rtnetlink never taken is closed. */
  @Override
  void close();
}
