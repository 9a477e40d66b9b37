package io.sriov.netlink.route;

import io.sriov.core.value.InterfaceName;
import java.util.Objects;
import java.util.OptionalInt;

/** A link to create with RTM_NEWLINK ({@code ip link add NAME type KIND ...}). */
public sealed interface LinkSpec {
  InterfaceName name();

  /** IFLA_INFO_KIND. */
  String kind();

  /**
   * {@code ip link add NAME type veth peer name PEER [netns FD]}.
   *
   * @param peerNetnsFd an open network-namespace fd to create the peer in (IFLA_NET_NS_FD)
   */
  record Veth(InterfaceName name, InterfaceName peer, OptionalInt peerNetnsFd) implements LinkSpec {
    public Veth {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(peerNetnsFd, "peerNetnsFd");
    }

    public Veth(InterfaceName name, InterfaceName peer) {
      this(name, peer, OptionalInt.empty());
    }

    @Override
    public String kind() {
      return "veth";
    }
  }

  /** {@code ip link add NAME link PARENT type macvlan mode MODE}. */
  record Macvlan(InterfaceName name, int parentIndex, MacvlanMode mode) implements LinkSpec {
    public Macvlan {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mode, "mode");
      if (parentIndex <= 0) {
        throw new IllegalArgumentException("macvlan parent ifindex must be positive");
      }
    }

    @Override
    public String kind() {
      return "macvlan";
    }
  }

  /** {@code ip link add NAME type bridge}. */
  record Bridge(InterfaceName name) implements LinkSpec {
    public Bridge {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String kind() {
      return "bridge";
    }
  }

  /** {@code ip link add NAME type bond mode ... miimon ...}. */
  record Bond(InterfaceName name, BondOptions options) implements LinkSpec {
    public Bond {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
      return "bond";
    }
  }
}
