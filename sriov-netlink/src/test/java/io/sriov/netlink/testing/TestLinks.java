package io.sriov.netlink.testing;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.route.Link;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Links as a dump would give them, for tests: the facts a test sets, nothing else. */
public final class TestLinks {
  private TestLinks() {}

  /**
   * A link with these facts and no master, VFs, stats, parent or link-kind details.
   *
   * @param mac the IFLA_ADDRESS when it is an Ethernet one (empty otherwise)
   * @param type ifi_type (ARPHRD_*)
   * @param addressLength the IFLA_ADDRESS length (0: none)
   */
  public static Link link(
      int index,
      String name,
      List<String> altNames,
      OperState oper,
      boolean carrier,
      int mtu,
      Optional<MacAddress> mac,
      int type,
      int addressLength) {
    return new Link(
        index,
        InterfaceName.of(name),
        altNames,
        Optional.empty(),
        0,
        oper,
        carrier,
        mtu,
        mac,
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        type,
        addressLength);
  }
}
