package io.sriov.netlink.route;

import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.NetlinkException;
import java.util.List;

/** Interface addresses, IPv4 and IPv6 ({@code ip addr ...}). */
public interface AddressOperations {

  /** {@code ip addr add PREFIX dev X [nodad]}. */
  void addAddress(int index, IpPrefix prefix, boolean noDad) throws NetlinkException;

  /** {@code ip addr del PREFIX dev X}. */
  void deleteAddress(int index, IpPrefix prefix) throws NetlinkException;

  /** {@code ip addr show dev X}; index 0 lists every link's addresses. */
  List<Address> addresses(int index) throws NetlinkException;
}
