package io.sriov.simulator.netlink;

/**
 * Hears every {@link LinkChange} of a {@link SimulatedNetwork}, in the order the changes happen.
 * Called synchronously under the network's lock by the thread that made the change: it must not
 * block and must not call back into the network (queue the change and act on another thread, as the
 * simulated link monitor does).
 */
@FunctionalInterface
public interface LinkChangeListener {
  void onLinkChange(LinkChange change);
}
