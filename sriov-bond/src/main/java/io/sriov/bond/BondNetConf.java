package io.sriov.bond;

import io.sriov.cni.plugin.CniException;
import io.sriov.cni.plugin.NetConf;
import io.sriov.core.json.GoStruct;
import io.sriov.core.json.JsonBindException;
import io.sriov.core.json.JsonInput;
import io.sriov.core.json.UnknownKey;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.route.AdSelect;
import io.sriov.netlink.route.ArpValidate;
import io.sriov.netlink.route.BondMode;
import io.sriov.netlink.route.FailOverMac;
import io.sriov.netlink.route.LacpRate;
import io.sriov.netlink.route.XmitHashPolicy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The bond plugin's netconf: upstream bond-cni's fields unchanged ({@code mode}, {@code miimon} as
 * a string or a number, {@code failOverMac}, {@code linksInContainer}, {@code links[].name}, {@code
 * mtu}, {@code allSlavesActive}, {@code tlbDynamicLb}, {@code xmitHashPolicy}) and the bonding
 * options upstream lacks ({@code lacpRate}, {@code arpInterval}, {@code arpIpTargets}, {@code
 * arpValidate}, {@code primary}, {@code updelay}, {@code downdelay}, {@code minLinks}, {@code
 * adSelect}, {@code resendIgmp}), each checked with the bonding driver's own rules (which modes an
 * option exists in, ranges, which options need which) so that a netconf the kernel would refuse, or
 * silently change, fails here with code 7 naming the field and value.
 *
 * @param primary a name from {@code links}
 * @param mtu 0: the bond's MTU is left as the kernel makes it
 */
public record BondNetConf(
    NetConf common,
    BondMode mode,
    int miimon,
    FailOverMac failOverMac,
    boolean linksInContainer,
    List<InterfaceName> links,
    int mtu,
    Optional<Boolean> allSlavesActive,
    Optional<Boolean> tlbDynamicLb,
    Optional<XmitHashPolicy> xmitHashPolicy,
    Optional<LacpRate> lacpRate,
    OptionalInt arpInterval,
    List<Inet4Address> arpIpTargets,
    Optional<ArpValidate> arpValidate,
    Optional<InterfaceName> primary,
    OptionalInt updelay,
    OptionalInt downdelay,
    OptionalInt minLinks,
    Optional<AdSelect> adSelect,
    OptionalInt resendIgmp) {

  /** The kernel's ETH_MIN_MTU, upstream's lower bound. */
  public static final int MIN_MTU = 68;

  /** The bonding driver's BOND_MAX_ARP_TARGETS. */
  public static final int MAX_ARP_TARGETS = 16;

  private static final List<String> FIELDS =
      List.of(
          "mode",
          "miimon",
          "failOverMac",
          "linksInContainer",
          "links",
          "mtu",
          "allSlavesActive",
          "tlbDynamicLb",
          "xmitHashPolicy",
          "lacpRate",
          "arpInterval",
          "arpIpTargets",
          "arpValidate",
          "primary",
          "updelay",
          "downdelay",
          "minLinks",
          "adSelect",
          "resendIgmp");

  private static final Set<BondMode> XMIT_MODES =
      EnumSet.of(BondMode.BALANCE_XOR, BondMode.IEEE_802_3AD, BondMode.BALANCE_TLB);
  private static final Set<BondMode> TLB_ALB =
      EnumSet.of(BondMode.BALANCE_TLB, BondMode.BALANCE_ALB);
  private static final Set<BondMode> PRIMARY_MODES =
      EnumSet.of(BondMode.ACTIVE_BACKUP, BondMode.BALANCE_TLB, BondMode.BALANCE_ALB);
  private static final Set<BondMode> ARP_MODES =
      EnumSet.complementOf(
          EnumSet.of(BondMode.IEEE_802_3AD, BondMode.BALANCE_TLB, BondMode.BALANCE_ALB));
  private static final Set<BondMode> LACP_MODES = EnumSet.of(BondMode.IEEE_802_3AD);

  /**
   * Binds and validates the bond fields of {@code common}'s document.
   *
   * @throws CniException code 6 for a field of the wrong JSON type, code 7 for a value the bond
   *     plugin or the bonding driver refuses, each naming the field and value
   */
  public static BondNetConf parse(NetConf common) {
    try {
      return bind(common);
    } catch (JsonBindException e) {
      throw CniException.decoding("error unmarshall network config: " + e.getMessage());
    }
  }

  private static BondNetConf bind(NetConf common) {
    GoStruct s =
        common.document().struct("a network configuration object", FIELDS, UnknownKey.IGNORE);
    if (common.ipamType().filter("bond"::equals).isPresent()) {
      throw invalid("ipam.type \"bond\": the bond plugin is not an IPAM plugin");
    }
    String modeText =
        s.string("mode")
            .orElseThrow(() -> invalid("mode: missing (one of " + words(BondMode.values()) + ")"));
    BondMode mode = word(modeText, "mode", BondMode::parse, BondMode.values());

    OptionalInt arpInterval = nonNegative(s, "arpInterval");
    boolean arp = arpInterval.orElse(0) > 0;
    OptionalInt miimonValue = miimon(s);
    if (miimonValue.isEmpty() && !arp) {
      throw invalid(
          "miimon: missing (link check interval in ms, e.g. \"100\"; or arpInterval with"
              + " arpIpTargets for ARP monitoring)");
    }
    int miimon = miimonValue.orElse(0);
    if (arp && miimon > 0) {
      throw invalid(
          "miimon "
              + miimon
              + " and arpInterval "
              + arpInterval.getAsInt()
              + ": the bonding driver runs one link monitor (set miimon to \"0\" for ARP"
              + " monitoring)");
    }

    FailOverMac fom =
        s.get("failOverMac")
            .map(
                v ->
                    v.node().isIntegralNumber()
                        ? word(
                            v.node().asText(),
                            "failOverMac",
                            FailOverMac::parse,
                            FailOverMac.values())
                        : word(v.string(), "failOverMac", FailOverMac::parse, FailOverMac.values()))
            .orElse(FailOverMac.NONE);

    List<InterfaceName> links = links(s);
    int mtu = s.get("mtu").map(v -> integer(v, "mtu")).orElse(0);
    if (mtu != 0 && mtu < MIN_MTU) {
      throw invalid("mtu " + mtu + ": below the minimum " + MIN_MTU);
    }

    Optional<Boolean> allSlavesActive = zeroOne(s, "allSlavesActive");
    Optional<Boolean> tlbDynamicLb = zeroOne(s, "tlbDynamicLb");
    if (tlbDynamicLb.isPresent()) {
      onlyIn(mode, TLB_ALB, "tlbDynamicLb");
    }
    Optional<XmitHashPolicy> xmit =
        s.string("xmitHashPolicy")
            .map(t -> word(t, "xmitHashPolicy", XmitHashPolicy::parse, XmitHashPolicy.values()));
    if (xmit.isPresent()) {
      onlyIn(mode, XMIT_MODES, "xmitHashPolicy");
    }
    Optional<LacpRate> lacpRate =
        s.string("lacpRate").map(t -> word(t, "lacpRate", LacpRate::parse, LacpRate.values()));
    if (lacpRate.isPresent()) {
      onlyIn(mode, LACP_MODES, "lacpRate");
    }
    Optional<AdSelect> adSelect =
        s.string("adSelect").map(t -> word(t, "adSelect", AdSelect::parse, AdSelect.values()));
    if (adSelect.isPresent()) {
      onlyIn(mode, LACP_MODES, "adSelect");
    }

    if (arpInterval.isPresent()) {
      onlyIn(mode, ARP_MODES, "arpInterval");
    }
    List<Inet4Address> targets = arpTargets(s);
    if (arp && targets.isEmpty()) {
      throw invalid(
          "arpInterval "
              + arpInterval.getAsInt()
              + ": needs arpIpTargets (without a target every slave is down)");
    }
    if (!arp && !targets.isEmpty()) {
      throw invalid("arpIpTargets: need arpInterval > 0 (the ARP monitor that probes them)");
    }
    Optional<ArpValidate> arpValidate =
        s.string("arpValidate")
            .map(t -> word(t, "arpValidate", ArpValidate::parse, ArpValidate.values()));
    if (arpValidate.isPresent()) {
      onlyIn(mode, ARP_MODES, "arpValidate");
      if (!arp) {
        throw invalid("arpValidate: needs arpInterval > 0 (it validates the ARP monitor's probes)");
      }
    }

    Optional<InterfaceName> primary = s.string("primary").map(p -> name(p, "primary"));
    if (primary.isPresent()) {
      onlyIn(mode, PRIMARY_MODES, "primary");
      if (!links.contains(primary.get())) {
        throw invalid(
            "primary \""
                + primary.get()
                + "\": not one of links ("
                + links.stream().map(Object::toString).collect(Collectors.joining(", "))
                + ")");
      }
    }

    OptionalInt updelay = delay(s, "updelay", miimon);
    OptionalInt downdelay = delay(s, "downdelay", miimon);
    OptionalInt minLinks = nonNegative(s, "minLinks");
    OptionalInt resendIgmp = nonNegative(s, "resendIgmp");
    if (resendIgmp.isPresent() && resendIgmp.getAsInt() > 255) {
      throw invalid("resendIgmp " + resendIgmp.getAsInt() + ": must be 0-255");
    }
    return new BondNetConf(
        common,
        mode,
        miimon,
        fom,
        s.flag("linksInContainer"),
        links,
        mtu,
        allSlavesActive,
        tlbDynamicLb,
        xmit,
        lacpRate,
        arpInterval,
        targets,
        arpValidate,
        primary,
        updelay,
        downdelay,
        minLinks,
        adSelect,
        resendIgmp);
  }

  /** miimon: upstream's string ({@code "100"}), or a number. */
  private static OptionalInt miimon(GoStruct s) {
    Optional<JsonInput> v = s.get("miimon");
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    if (v.get().node().isNumber()) {
      return OptionalInt.of(checkNonNegative(integer(v.get(), "miimon"), "miimon"));
    }
    String t = v.get().string();
    if (!t.matches("[0-9]{1,9}")) {
      throw invalid("miimon \"" + t + "\": not a number of milliseconds");
    }
    return OptionalInt.of(Integer.parseInt(t));
  }

  private static List<InterfaceName> links(GoStruct s) {
    JsonInput v =
        s.get("links")
            .orElseThrow(() -> invalid("links: missing (the slaves: [{\"name\": \"net1\"}, ...])"));
    List<JsonInput> items = v.items("an array of links");
    if (items.size() < 2) {
      throw invalid("links: a bond needs at least 2, got " + items.size());
    }
    Set<InterfaceName> out = new LinkedHashSet<>();
    for (JsonInput item : items) {
      GoStruct l = item.struct("a link object", List.of("name"), UnknownKey.IGNORE);
      String n = l.string("name").orElseThrow(() -> invalid(item.path() + ".name: missing"));
      InterfaceName name = name(n, item.path() + ".name");
      if (!out.add(name)) {
        throw invalid(item.path() + ".name \"" + n + "\": listed twice");
      }
    }
    return List.copyOf(out);
  }

  private static List<Inet4Address> arpTargets(GoStruct s) {
    Optional<JsonInput> v = s.get("arpIpTargets");
    if (v.isEmpty()) {
      return List.of();
    }
    List<JsonInput> items = v.get().items("an array of IPv4 addresses");
    if (items.size() > MAX_ARP_TARGETS) {
      throw invalid("arpIpTargets: at most " + MAX_ARP_TARGETS + " addresses, got " + items.size());
    }
    List<Inet4Address> out = new ArrayList<>();
    for (JsonInput item : items) {
      String t = item.string();
      InetAddress a;
      try {
        a = IpPrefix.parseAddress(t);
      } catch (IllegalArgumentException e) {
        throw invalid(item.path() + ": " + e.getMessage());
      }
      if (!(a instanceof Inet4Address v4)) {
        throw invalid(item.path() + " \"" + t + "\": the ARP monitor probes IPv4 addresses only");
      }
      byte[] b = v4.getAddress();
      if (b[0] == 0 || v4.getHostAddress().equals("255.255.255.255")) {
        throw invalid(
            item.path()
                + " \""
                + t
                + "\": not a usable target (0.0.0.0/8 or the broadcast address)");
      }
      if (out.contains(v4)) {
        throw invalid(item.path() + " \"" + t + "\": listed twice");
      }
      out.add(v4);
    }
    return out;
  }

  private static OptionalInt delay(GoStruct s, String field, int miimon) {
    OptionalInt v = nonNegative(s, field);
    if (v.isEmpty() || v.getAsInt() == 0) {
      return v;
    }
    if (miimon == 0) {
      throw invalid(
          field + " " + v.getAsInt() + ": needs miimon > 0 (the delay counts MII link checks)");
    }
    if (v.getAsInt() % miimon != 0) {
      throw invalid(
          field
              + " "
              + v.getAsInt()
              + ": not a multiple of miimon "
              + miimon
              + " (the bonding driver would round it down to "
              + (v.getAsInt() / miimon * miimon)
              + ")");
    }
    return v;
  }

  private static Optional<Boolean> zeroOne(GoStruct s, String field) {
    return s.get(field)
        .map(
            v -> {
              int i = integer(v, field);
              if (i != 0 && i != 1) {
                throw invalid(field + " " + i + ": must be 0 or 1");
              }
              return i == 1;
            });
  }

  private static OptionalInt nonNegative(GoStruct s, String field) {
    Optional<JsonInput> v = s.get(field);
    return v.isEmpty()
        ? OptionalInt.empty()
        : OptionalInt.of(checkNonNegative(integer(v.get(), field), field));
  }

  private static int checkNonNegative(int v, String field) {
    if (v < 0) {
      throw invalid(field + " " + v + ": must not be negative");
    }
    return v;
  }

  private static int integer(JsonInput v, String field) {
    if (!v.node().isIntegralNumber() || !v.node().canConvertToInt()) {
      throw v.fail("expected an integer, got " + v.kind());
    }
    return v.node().intValue();
  }

  private static void onlyIn(BondMode mode, Set<BondMode> modes, String field) {
    if (!modes.contains(mode)) {
      throw invalid(
          field
              + ": not supported in mode "
              + mode
              + " (only in "
              + modes.stream().map(Object::toString).collect(Collectors.joining(", "))
              + ")");
    }
  }

  private static <E> E word(String text, String field, Function<String, E> parser, E[] all) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw invalid(field + " \"" + text + "\": unknown (one of " + words(all) + ")");
    }
  }

  private static String words(Object[] all) {
    return java.util.Arrays.stream(all).map(Object::toString).collect(Collectors.joining(", "));
  }

  private static InterfaceName name(String s, String field) {
    try {
      return InterfaceName.of(s);
    } catch (InvalidValueException e) {
      throw invalid(field + ": " + e.getMessage());
    }
  }

  private static CniException invalid(String msg) {
    return CniException.invalidConfig(msg);
  }
}
