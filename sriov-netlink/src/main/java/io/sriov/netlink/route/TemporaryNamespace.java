package io.sriov.netlink.route;

/**
 * A new, unnamed network namespace that lives while this handle is open (upstream's {@code
 * ns.TempNetNS()}, without a mount: nothing is left behind when the process dies). Closing it
 * destroys the namespace the way the kernel destroys any: hardware netdevs still in it go back to
 * the host namespace, virtual ones are deleted. The CNI plugins rename a netdev inside one so the
 * new name never clashes with a host link, nor the old one with a pod link.
 */
public interface TemporaryNamespace extends AutoCloseable {

  /**
   * The path that names it for {@link RtnlNamespaces#open} and {@link
   * LinkOperations#moveToNamespace(int, java.nio.file.Path)} while it is open.
   */
  java.nio.file.Path path();

  /**
   * rtnetlink inside it, opened on first use and closed with it (the caller does not close it). One
   * caller at a time, like any {@link RtnlOperations}.
   */
  RtnlOperations rtnl() throws io.sriov.netlink.NetlinkException;

  /**
   * Destroys it (drops this process's reference); idempotent. A failing {@code close(2)} of the fd
   * (a bug: the handle owns it) is an {@link IllegalStateException}.
   */
  @Override
  void close();
}
