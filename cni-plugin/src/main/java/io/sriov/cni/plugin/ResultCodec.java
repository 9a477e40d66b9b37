package io.sriov.cni.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.cni.plugin.CniResult.Dns;
import io.sriov.cni.plugin.CniResult.Interface;
import io.sriov.cni.plugin.CniResult.IpConfig;
import io.sriov.cni.plugin.CniResult.Route;
import io.sriov.core.json.GoJsonWriter;
import io.sriov.core.json.GoStruct;
import io.sriov.core.json.JsonBindException;
import io.sriov.core.json.JsonInput;
import io.sriov.core.json.JsonTrees;
import io.sriov.core.json.UnknownKey;
import io.sriov.core.value.IpPrefix;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Reads a CNI result of any supported version and writes one in the version the netconf asked for,
 * as libcni converts and prints it ({@code types.PrintResult}: Go's {@code json.MarshalIndent} with
 * four spaces, fields in libcni's struct order, no trailing newline):
 *
 * <ul>
 *   <li>0.3.0, 0.3.1, 0.4.0: each ip carries {@code "version": "4"|"6"}; interfaces carry only
 *       {@code name}, {@code mac}, {@code sandbox};
 *   <li>1.0.0, 1.1.0: no ip {@code version}; interfaces also {@code mtu}, {@code socketPath},
 *       {@code pciID};
 *   <li>routes carry {@code mtu}, {@code advmss}, {@code priority}, {@code table}, {@code scope}
 *       when set (libcni shares one route type between versions);
 *   <li>empty lists and an empty {@code dns} are left out.
 * </ul>
 *
 * Reading ignores unknown keys and the ip {@code version} (the address says it), as libcni does.
 */
public final class ResultCodec {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> RESULT =
      List.of("cniVersion", "interfaces", "ips", "routes", "dns");
  private static final List<String> INTERFACE =
      List.of("name", "mac", "mtu", "sandbox", "socketPath", "pciID");
  private static final List<String> IP = List.of("version", "interface", "address", "gateway");
  private static final List<String> ROUTE =
      List.of("dst", "gw", "mtu", "advmss", "priority", "table", "scope");
  private static final List<String> DNS = List.of("nameservers", "domain", "search", "options");

  private ResultCodec() {}

  /**
   * Parses a plugin's stdout (an IPAM result): a JSON object whose {@code cniVersion} is one this
   * project speaks.
   *
   * @param what the source, for errors ({@code "IPAM plugin host-local's result"})
   * @throws CniException code 6 when it is not JSON or does not fit the result format, code 1 for
   *     an unsupported {@code cniVersion}
   */
  public static CniResult parse(byte[] json, String what) {
    JsonNode node;
    try {
      node = JsonTrees.read(json);
    } catch (java.io.IOException e) {
      throw CniException.decoding(what + ": not JSON: " + firstLine(e));
    }
    if (node == null || node.isMissingNode()) {
      throw CniException.decoding(what + ": empty");
    }
    JsonInput in = JsonInput.root(node);
    try {
      GoStruct s = in.struct("a result object", RESULT, UnknownKey.IGNORE);
      CniVersions.negotiate(s.string("cniVersion"));
    } catch (JsonBindException e) {
      throw CniException.decoding(what + ": " + e.getMessage());
    }
    return parse(in, what);
  }

  /**
   * Parses a result object (a netconf's {@code prevResult}, an IPAM result) without looking at its
   * {@code cniVersion}.
   *
   * @throws CniException code 6 naming the offending value's path
   */
  public static CniResult parse(JsonInput in, String what) {
    try {
      GoStruct s = in.struct("a result object", RESULT, UnknownKey.IGNORE);
      List<Interface> interfaces = new ArrayList<>();
      s.get("interfaces").ifPresent(a -> each(a, i -> interfaces.add(iface(i))));
      List<IpConfig> ips = new ArrayList<>();
      s.get("ips").ifPresent(a -> each(a, i -> ips.add(ip(i))));
      List<Route> routes = new ArrayList<>();
      s.get("routes").ifPresent(a -> each(a, i -> routes.add(route(i))));
      Dns dns = s.get("dns").map(ResultCodec::dns).orElse(Dns.EMPTY);
      return new CniResult(interfaces, ips, routes, dns);
    } catch (JsonBindException e) {
      throw CniException.decoding(what + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CniException.decoding(what + ": " + e.getMessage());
    }
  }

  /** A netconf's or result's {@code dns} object. */
  public static Dns dns(JsonInput in) {
    GoStruct d = in.struct("a dns object", DNS, UnknownKey.IGNORE);
    return new Dns(
        d.list("nameservers", s -> s),
        d.string("domain"),
        d.list("search", s -> s),
        d.list("options", s -> s));
  }

  /** The result in {@code version}'s format, as the runtime reads it on stdout. */
  public static byte[] write(CniResult result, CniVersion version) {
    return GoJsonWriter.marshalIndent(toJson(result, version), "    ")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The result as a JSON tree in {@code version}'s format (key order as written). */
  public static ObjectNode toJson(CniResult result, CniVersion version) {
    boolean v1 = version.atLeast(CniVersion.V1_0_0);
    ObjectNode o = NODES.objectNode();
    o.put("cniVersion", version.text());
    if (!result.interfaces().isEmpty()) {
      ArrayNode a = o.putArray("interfaces");
      for (Interface i : result.interfaces()) {
        ObjectNode n = a.addObject();
        n.put("name", i.name());
        i.mac().filter(m -> !m.isEmpty()).ifPresent(m -> n.put("mac", m));
        if (v1) {
          i.mtu().ifPresent(m -> n.put("mtu", m));
        }
        i.sandbox().filter(m -> !m.isEmpty()).ifPresent(m -> n.put("sandbox", m));
        if (v1) {
          i.socketPath().filter(m -> !m.isEmpty()).ifPresent(m -> n.put("socketPath", m));
          i.pciId().filter(m -> !m.isEmpty()).ifPresent(m -> n.put("pciID", m));
        }
      }
    }
    if (!result.ips().isEmpty()) {
      ArrayNode a = o.putArray("ips");
      for (IpConfig ip : result.ips()) {
        ObjectNode n = a.addObject();
        if (!v1) {
          n.put("version", ip.address().isIpv4() ? "4" : "6");
        }
        ip.interfaceIndex().ifPresent(x -> n.put("interface", x));
        n.put("address", ip.address().compact());
        ip.gateway().ifPresent(g -> n.put("gateway", IpPrefix.format(g)));
      }
    }
    if (!result.routes().isEmpty()) {
      ArrayNode a = o.putArray("routes");
      for (Route r : result.routes()) {
        ObjectNode n = a.addObject();
        n.put("dst", r.dst().compact());
        r.gw().ifPresent(g -> n.put("gw", IpPrefix.format(g)));
        r.mtu().ifPresent(x -> n.put("mtu", x));
        r.advmss().ifPresent(x -> n.put("advmss", x));
        r.priority().ifPresent(x -> n.put("priority", x));
        r.table().ifPresent(x -> n.put("table", x));
        r.scope().ifPresent(x -> n.put("scope", x));
      }
    }
    if (!result.dns().isEmpty()) {
      o.set("dns", dnsJson(result.dns()));
    }
    return o;
  }

  /** A {@code dns} object, empty fields left out. */
  public static ObjectNode dnsJson(Dns dns) {
    ObjectNode n = NODES.objectNode();
    if (!dns.nameservers().isEmpty()) {
      dns.nameservers().forEach(n.putArray("nameservers")::add);
    }
    dns.domain().filter(d -> !d.isEmpty()).ifPresent(d -> n.put("domain", d));
    if (!dns.search().isEmpty()) {
      dns.search().forEach(n.putArray("search")::add);
    }
    if (!dns.options().isEmpty()) {
      dns.options().forEach(n.putArray("options")::add);
    }
    return n;
  }

  private static Interface iface(JsonInput in) {
    GoStruct s = in.struct("an interface object", INTERFACE, UnknownKey.IGNORE);
    return new Interface(
        s.string("name").orElse(""),
        s.string("mac"),
        integer(s, "mtu"),
        s.string("sandbox"),
        s.string("socketPath"),
        s.string("pciID"));
  }

  private static IpConfig ip(JsonInput in) {
    GoStruct s = in.struct("an ip object", IP, UnknownKey.IGNORE);
    JsonInput address =
        s.get("address").orElseThrow(() -> in.fail("address: missing (want ADDRESS/LENGTH)"));
    Optional<InetAddress> gateway = s.get("gateway").map(g -> g.as(IpPrefix::parseAddress));
    OptionalInt index = integer(s, "interface");
    if (index.isPresent() && index.getAsInt() < 0) {
      throw s.get("interface").orElseThrow().fail("interface index must be 0 or more");
    }
    return new IpConfig(address.as(IpPrefix::parse), gateway, index);
  }

  private static Route route(JsonInput in) {
    GoStruct s = in.struct("a route object", ROUTE, UnknownKey.IGNORE);
    JsonInput dst = s.get("dst").orElseThrow(() -> in.fail("dst: missing (want ADDRESS/LENGTH)"));
    return new Route(
        dst.as(IpPrefix::parse),
        s.get("gw").map(g -> g.as(IpPrefix::parseAddress)),
        integer(s, "mtu"),
        integer(s, "advmss"),
        integer(s, "priority"),
        integer(s, "table"),
        integer(s, "scope"));
  }

  /** An integer field; absent is empty. */
  static OptionalInt integer(GoStruct s, String field) {
    Optional<JsonInput> v = s.get(field);
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode n = v.get().node();
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw v.get().fail("expected an integer, got " + v.get().kind());
    }
    return OptionalInt.of(n.intValue());
  }

  private static void each(JsonInput array, Consumer<JsonInput> item) {
    array.items("an array").forEach(item);
  }

  static String firstLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
