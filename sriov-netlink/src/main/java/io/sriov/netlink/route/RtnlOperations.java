package io.sriov.netlink.route;

/**
 * rtnetlink in one network namespace: links, VF attributes on a PF, addresses and routes, what
 * {@code ip link}, {@code ip addr} and {@code ip route} do. {@link RtnlClient} is the kernel's; the
 * simulated node has its own. Whoever opens one closes it.
 */
public interface RtnlOperations
    extends LinkOperations, VfOperations, AddressOperations, RouteOperations, AutoCloseable {

  /** Releases the socket (or the simulated session); idempotent, never throws. */
  @Override
  void close();
}
