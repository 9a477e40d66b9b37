package io.sriov.cni.plugin;

import io.sriov.core.value.IpPrefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A CNI result (spec 1.1 §5), independent of the version it is read from or written in ({@link
 * ResultCodec} does both). An IPAM plugin's result has no interfaces.
 *
 * @param interfaces the interfaces the plugin created or configured
 * @param ips the addresses; {@link IpConfig#interfaceIndex} points into {@code interfaces}
 * @param routes the routes
 * @param dns the DNS settings; {@link Dns#EMPTY} when none
 */
public record CniResult(
    List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns) {

  public static final CniResult EMPTY = new CniResult(List.of(), List.of(), List.of(), Dns.EMPTY);

  public CniResult {
    interfaces = List.copyOf(interfaces);
    ips = List.copyOf(ips);
    routes = List.copyOf(routes);
    Objects.requireNonNull(dns, "dns");
    for (IpConfig ip : ips) {
      if (ip.interfaceIndex().isPresent()
          && !interfaces.isEmpty()
          && ip.interfaceIndex().getAsInt() >= interfaces.size()) {
        throw new IllegalArgumentException(
            "ip "
                + ip.address().compact()
                + " names interface "
                + ip.interfaceIndex().getAsInt()
                + ", but the result has "
                + interfaces.size());
      }
    }
  }

  /**
   * The routes as libcni's {@code ipam.ConfigureIface} installs them: a route without a gateway
   * takes the gateway of the first address of its destination's family that has one; without such
   * an address it stays on-link.
   */
  public List<Route> routesWithDefaultGateways() {
    Optional<InetAddress> gw4 = Optional.empty();
    Optional<InetAddress> gw6 = Optional.empty();
    for (IpConfig ip : ips) {
      if (ip.gateway().isPresent()) {
        if (ip.gateway().get() instanceof Inet4Address) {
          gw4 = gw4.or(ip::gateway);
        } else {
          gw6 = gw6.or(ip::gateway);
        }
      }
    }
    List<Route> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(
          r.gw().isPresent()
              ? r
              : new Route(
                  r.dst(),
                  r.dst().isIpv4() ? gw4 : gw6,
                  r.mtu(),
                  r.advmss(),
                  r.priority(),
                  r.table(),
                  r.scope()));
    }
    return List.copyOf(out);
  }

  /** This result with {@code interfaces} in place of its own. */
  public CniResult withInterfaces(List<Interface> replacement) {
    return new CniResult(replacement, ips, routes, dns);
  }

  /** This result with {@code replacement} in place of its addresses. */
  public CniResult withIps(List<IpConfig> replacement) {
    return new CniResult(interfaces, replacement, routes, dns);
  }

  /**
   * One interface. {@code mtu}, {@code socketPath} and {@code pciID} exist from 1.0.0 on and are
   * left out of older results.
   *
   * @param sandbox the netns path for an interface inside the container; empty on the host
   */
  public record Interface(
      String name,
      Optional<String> mac,
      OptionalInt mtu,
      Optional<String> sandbox,
      Optional<String> socketPath,
      Optional<String> pciId) {
    public Interface {
      Objects.requireNonNull(name, "name");
    }

    /** An interface with a name, a MAC and its sandbox, nothing else. */
    public static Interface of(String name, String mac, String sandbox) {
      return new Interface(
          name,
          Optional.of(mac),
          OptionalInt.empty(),
          Optional.of(sandbox).filter(s -> !s.isEmpty()),
          Optional.empty(),
          Optional.empty());
    }
  }

  /**
   * One address.
   *
   * @param address the address with its prefix length (host bits kept)
   * @param interfaceIndex index into {@link CniResult#interfaces}
   */
  public record IpConfig(
      IpPrefix address, Optional<InetAddress> gateway, OptionalInt interfaceIndex) {
    public IpConfig {
      Objects.requireNonNull(address, "address");
      if (interfaceIndex.isPresent() && interfaceIndex.getAsInt() < 0) {
        throw new IllegalArgumentException(
            "ip " + address.compact() + ": interface index " + interfaceIndex.getAsInt() + " < 0");
      }
    }

    /** This address pointing at interface {@code index}. */
    public IpConfig onInterface(int index) {
      return new IpConfig(address, gateway, OptionalInt.of(index));
    }
  }

  /**
   * One route; {@code mtu}, {@code advmss}, {@code priority}, {@code table} and {@code scope} are
   * the 1.1.0 additions.
   */
  public record Route(
      IpPrefix dst,
      Optional<InetAddress> gw,
      OptionalInt mtu,
      OptionalInt advmss,
      OptionalInt priority,
      OptionalInt table,
      OptionalInt scope) {
    public Route {
      Objects.requireNonNull(dst, "dst");
    }

    public static Route of(IpPrefix dst, Optional<InetAddress> gw) {
      return new Route(
          dst,
          gw,
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty());
    }
  }

  /** DNS settings, as in a netconf's {@code dns} and a result's. */
  public record Dns(
      List<String> nameservers,
      Optional<String> domain,
      List<String> search,
      List<String> options) {
    public static final Dns EMPTY = new Dns(List.of(), Optional.empty(), List.of(), List.of());

    public Dns {
      nameservers = List.copyOf(nameservers);
      search = List.copyOf(search);
      options = List.copyOf(options);
    }

    public boolean isEmpty() {
      return nameservers.isEmpty() && domain.isEmpty() && search.isEmpty() && options.isEmpty();
    }
  }
}
