package io.sriov.cni.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import io.sriov.core.json.GoStruct;
import io.sriov.core.json.JsonInput;
import io.sriov.core.json.UnknownKey;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import io.sriov.netlink.route.VlanProtocol;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SR-IOV part of a netconf, bound as upstream sriov-cni's Go {@code NetConf} binds it (keys
 * case-insensitive, exact spelling first, {@code null} = absent, unknown keys ignored) and
 * validated with upstream's defaults and messages: a {@code vlan} gives {@code vlanQoS} 0 and
 * {@code vlanProto} 802.1Q; QoS or proto without a {@code vlan} is refused; {@code spoofchk} and
 * {@code trust} are on only when exactly {@code "on"}. A field left out leaves that VF attribute
 * untouched.
 *
 * @param deviceId {@code deviceID}, the VF's PCI address (required)
 * @param vlan {@code vlan} 0-4094 with its QoS and protocol
 * @param mac the MAC to give the VF: {@code runtimeConfig.mac} over {@code CNI_ARGS} {@code MAC=}
 *     over the netconf's {@code mac}, as upstream; lower-cased
 * @param spoofCheck {@code spoofchk}
 * @param trust {@code trust}
 * @param linkState {@code link_state}
 * @param minTxRateMbps {@code min_tx_rate}
 * @param maxTxRateMbps {@code max_tx_rate}
 * @param ipamType {@code ipam.type} when the netconf delegates IPAM
 */
public record SriovNetConf(
    PciAddress deviceId,
    Optional<VfVlan> vlan,
    Optional<MacAddress> mac,
    Optional<Boolean> spoofCheck,
    Optional<Boolean> trust,
    Optional<VfLinkState> linkState,
    OptionalInt minTxRateMbps,
    OptionalInt maxTxRateMbps,
    Optional<String> ipamType) {

  /**
   * Every field of upstream's Go struct (embedded CNI {@code NetConf} included), so that a key
   * binds to the field Go would bind it to.
   */
  static final List<String> FIELDS =
      List.of(
          "cniVersion",
          "cniVersions",
          "name",
          "type",
          "capabilities",
          "ipam",
          "dns",
          "prevResult",
          "runtimeConfig",
          "OrigVfState",
          "Master",
          "MAC",
          "MTU",
          "vlan",
          "vlanQoS",
          "vlanProto",
          "deviceID",
          "VFID",
          "min_tx_rate",
          "max_tx_rate",
          "spoofchk",
          "trust",
          "link_state",
          "logLevel",
          "logFile");

  public SriovNetConf {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(vlan, "vlan");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(spoofCheck, "spoofCheck");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(linkState, "linkState");
    Objects.requireNonNull(ipamType, "ipamType");
  }

  /**
   * Binds and validates the netconf document.
   *
   * @param root the netconf (stdin), parsed
   * @param cniArgsMac {@code MAC=} of {@code CNI_ARGS}, when given
   * @throws io.sriov.core.json.JsonBindException a value of the wrong JSON type (CNI error 6)
   * @throws InvalidNetConfException a value upstream refuses (CNI error 7)
   */
  public static SriovNetConf parse(JsonNode root, Optional<String> cniArgsMac) {
    GoStruct s = JsonInput.root(root).struct("a netconf object", FIELDS, UnknownKey.IGNORE);

    String device =
        s.string("deviceID")
            .filter(d -> !d.isEmpty())
            .orElseThrow(() -> new InvalidNetConfException("VF pci addr is required"));
    PciAddress deviceId;
    try {
      deviceId = PciAddress.parse(device);
    } catch (IllegalArgumentException e) {
      throw new InvalidNetConfException("deviceID: " + e.getMessage());
    }

    Optional<VfVlan> vlan = vlan(s);

    Optional<String> runtimeMac = Optional.empty();
    Optional<JsonInput> runtimeConfig = s.get("runtimeConfig");
    if (runtimeConfig.isPresent()) {
      runtimeMac =
          runtimeConfig
              .get()
              .struct("a runtimeConfig object", List.of("mac"), UnknownKey.IGNORE)
              .string("mac")
              .filter(m -> !m.isEmpty());
    }
    Optional<String> macText =
        runtimeMac
            .or(() -> cniArgsMac.filter(m -> !m.isEmpty()))
            .or(() -> s.string("MAC").filter(m -> !m.isEmpty()));
    Optional<MacAddress> mac = macText.map(SriovNetConf::mac);

    Optional<VfLinkState> linkState =
        s.string("link_state").filter(l -> !l.isEmpty()).map(SriovNetConf::linkState);

    OptionalInt min = rate(s, "min_tx_rate");
    OptionalInt max = rate(s, "max_tx_rate");
    if (min.isPresent()
        && max.isPresent()
        && max.getAsInt() != 0
        && min.getAsInt() > max.getAsInt()) {
      throw new InvalidNetConfException(
          "min_tx_rate "
              + min.getAsInt()
              + " invalid: value must not exceed max_tx_rate "
              + max.getAsInt());
    }

    Optional<String> ipamType = Optional.empty();
    Optional<JsonInput> ipam = s.get("ipam");
    if (ipam.isPresent()) {
      ipamType =
          ipam.get()
              .struct("an ipam object", List.of("type"), UnknownKey.IGNORE)
              .string("type")
              .filter(t -> !t.isEmpty());
    }

    return new SriovNetConf(
        deviceId,
        vlan,
        mac,
        onOff(s, "spoofchk"),
        onOff(s, "trust"),
        linkState,
        min,
        max,
        ipamType);
  }

  private static Optional<VfVlan> vlan(GoStruct s) {
    OptionalInt vlan = integer(s, "vlan");
    OptionalInt qos = integer(s, "vlanQoS");
    Optional<String> proto = s.string("vlanProto");
    if (vlan.isEmpty()) {
      if (qos.isPresent()) {
        throw new InvalidNetConfException(
            "vlan id must be configured to set vlan QoS to a non-nil value");
      }
      if (proto.isPresent()) {
        throw new InvalidNetConfException(
            "vlan id must be configured to set vlan proto to a non-nil value");
      }
      return Optional.empty();
    }
    int id = vlan.getAsInt();
    if (id < 0 || id > 4094) {
      throw new InvalidNetConfException(
          "vlan id " + id + " invalid: value must be in the range 0-4094");
    }
    int q = qos.orElse(0);
    if (q < 0 || q > 7) {
      throw new InvalidNetConfException(
          "vlan QoS PCP " + q + " invalid: value must be in the range 0-7");
    }
    if (q != 0 && id == 0) {
      throw new InvalidNetConfException(
          "non-zero vlan id must be configured to set vlan QoS to a non-zero value");
    }
    String p = proto.orElse("802.1q").toLowerCase(Locale.ROOT);
    VlanProtocol protocol;
    if (p.equals("802.1q")) {
      protocol = VlanProtocol.IEEE_802_1Q;
    } else if (p.equals("802.1ad")) {
      protocol = VlanProtocol.IEEE_802_1AD;
    } else {
      throw new InvalidNetConfException(
          "vlan Proto " + p + " invalid: value must be '802.1Q' or '802.1ad'");
    }
    if (protocol == VlanProtocol.IEEE_802_1AD && id == 0) {
      throw new InvalidNetConfException(
          "non-zero vlan id must be configured to set vlan proto 802.1ad");
    }
    return Optional.of(new VfVlan(id, q, protocol));
  }

  private static MacAddress mac(String text) {
    MacAddress m;
    try {
      m = MacAddress.parse(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidNetConfException("mac \"" + text + "\" invalid: " + e.getMessage());
    }
    if (m.isZero() || m.isMulticast()) {
      throw new InvalidNetConfException(
          "mac \"" + text + "\" invalid: a VF needs a unicast, non-zero address");
    }
    return m;
  }

  private static VfLinkState linkState(String text) {
    return switch (text) {
      case "auto" -> VfLinkState.AUTO;
      case "enable" -> VfLinkState.ENABLE;
      case "disable" -> VfLinkState.DISABLE;
      default -> throw new InvalidNetConfException("invalid link_state value: " + text);
    };
  }

  private static OptionalInt rate(GoStruct s, String field) {
    OptionalInt v = integer(s, field);
    if (v.isPresent() && v.getAsInt() < 0) {
      throw new InvalidNetConfException(
          field + " " + v.getAsInt() + " invalid: value must not be negative");
    }
    return v;
  }

  private static OptionalInt integer(GoStruct s, String field) {
    Optional<JsonInput> v = s.get(field);
    return v.isEmpty() ? OptionalInt.empty() : OptionalInt.of(v.get().integer());
  }

  /** Upstream's rule: {@code "on"} is on, any other string off. */
  private static Optional<Boolean> onOff(GoStruct s, String field) {
    return s.string(field).filter(v -> !v.isEmpty()).map("on"::equals);
  }

  /** This request without its MAC (DEL without a cache leaves the admin MAC alone). */
  SriovNetConf withoutMac() {
    return new SriovNetConf(
        deviceId,
        vlan,
        Optional.empty(),
        spoofCheck,
        trust,
        linkState,
        minTxRateMbps,
        maxTxRateMbps,
        ipamType);
  }

  /**
   * The PF-side request for VF {@code vf}: every field the netconf sets; the MAC only when {@code
   * withMac}. When only one rate is given the other is sent as 0, as upstream's single {@code
   * LinkSetVfRate(min, max)} does.
   */
  public VfConfig vfConfig(io.sriov.core.value.VfIndex vf, boolean withMac) {
    VfConfig.Builder b = VfConfig.forVf(vf);
    vlan.ifPresent(b::vlan);
    if (withMac) {
      mac.ifPresent(b::mac);
    }
    if (minTxRateMbps.isPresent() || maxTxRateMbps.isPresent()) {
      b.rate(minTxRateMbps.orElse(0), maxTxRateMbps.orElse(0));
    }
    spoofCheck.ifPresent(b::spoofCheck);
    trust.ifPresent(b::trust);
    linkState.ifPresent(b::linkState);
    return b.build();
  }
}
