package io.sriov.cni.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.json.JsonTrees;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import io.sriov.netlink.route.VlanProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What ADD leaves for DEL, CHECK and GC in {@code ROOT/<containerID>-<ifName>}: upstream
 * sriov-cni's cache format (the netconf with {@code deviceID}, {@code Master}, {@code VFID}, {@code
 * MAC} and {@code OrigVfState} filled in), so a DEL of a pod that upstream's plugin added reads it,
 * plus {@code DPDKMode} (upstream does not keep it: its DEL bug) and the attachment's identity.
 * Written before ADD changes anything, so a DEL after a crash at any step finds the original state.
 *
 * @param netconf the netconf as ADD received it
 * @param conf {@code netconf} bound
 * @param dpdk the VF was in DPDK mode (configured on the PF only); empty in an upstream cache
 */
public record SriovCache(
    String containerId,
    InterfaceName ifName,
    Optional<Path> netns,
    ObjectNode netconf,
    SriovNetConf conf,
    InterfaceName pfName,
    VfIndex vfIndex,
    Optional<Boolean> dpdk,
    VfSnapshot original) {

  public SriovCache {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(ifName, "ifName");
    Objects.requireNonNull(netns, "netns");
    Objects.requireNonNull(netconf, "netconf");
    Objects.requireNonNull(conf, "conf");
    Objects.requireNonNull(pfName, "pfName");
    Objects.requireNonNull(vfIndex, "vfIndex");
    Objects.requireNonNull(dpdk, "dpdk");
    Objects.requireNonNull(original, "original");
  }

  public PciAddress deviceId() {
    return conf.deviceId();
  }

  byte[] toJson() {
    ObjectNode o = netconf.deepCopy();
    o.put("deviceID", conf.deviceId().toString());
    o.put("Master", pfName.value());
    o.put("VFID", vfIndex.value());
    conf.mac().ifPresentOrElse(m -> o.put("MAC", m.toString()), () -> o.remove("MAC"));
    dpdk.ifPresent(d -> o.put("DPDKMode", d));
    ObjectNode s = o.putObject("OrigVfState");
    original.hostName().ifPresent(h -> s.put("HostIFName", h.value()));
    original.spoofCheck().ifPresent(v -> s.put("SpoofChk", v));
    original.trust().ifPresent(v -> s.put("Trust", v));
    s.put("AdminMAC", original.adminMac().toString());
    original.effectiveMac().ifPresent(m -> s.put("EffectiveMAC", m.toString()));
    s.put("Vlan", original.vlan().vlan());
    s.put("VlanQoS", original.vlan().qos());
    s.put("VlanProto", original.vlan().proto().ethertype());
    s.put("MinTxRate", original.minTxRateMbps());
    s.put("MaxTxRate", original.maxTxRateMbps());
    s.put("LinkState", original.linkState().kernelValue());
    original.mtu().ifPresent(m -> s.put("MTU", m));
    ObjectNode a = o.putObject("sriovNodeStack");
    a.put("containerID", containerId);
    a.put("ifName", ifName.value());
    a.put("netns", netns.map(Path::toString).orElse(""));
    return JsonTrees.write(o);
  }

  /**
   * Reads a cache file; {@code containerId} / {@code ifName} / {@code netns} fill what an upstream
   * cache does not say.
   *
   * @throws InvalidCacheException not JSON, or values that do not parse
   */
  static SriovCache fromJson(
      byte[] bytes, String containerId, InterfaceName ifName, Optional<Path> netns) {
    JsonNode root;
    try {
      root = JsonTrees.read(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidCacheException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidCacheException("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidCacheException("not a JSON object");
    }
    try {
      ObjectNode o = (ObjectNode) root;
      SriovNetConf conf = SriovNetConf.parse(o, Optional.empty());
      JsonNode s = o.path("OrigVfState");
      JsonNode a = o.path("sriovNodeStack");
      String cid = a.path("containerID").asText(containerId);
      InterfaceName ifn = InterfaceName.of(a.path("ifName").asText(ifName.value()));
      Optional<Path> ns = netns;
      if (a.has("netns")) {
        String p = a.path("netns").asText();
        ns = p.isEmpty() ? Optional.empty() : Optional.of(Path.of(p));
      }
      int proto = s.path("VlanProto").asInt(0);
      VfSnapshot orig =
          new VfSnapshot(
              MacAddress.parse(s.path("AdminMAC").asText("00:00:00:00:00:00")),
              new VfVlan(
                  s.path("Vlan").asInt(0),
                  s.path("VlanQoS").asInt(0),
                  proto == 0 ? VlanProtocol.IEEE_802_1Q : VlanProtocol.fromEthertype(proto)),
              s.path("MinTxRate").asInt(0),
              s.path("MaxTxRate").asInt(0),
              s.has("SpoofChk") ? Optional.of(s.path("SpoofChk").asBoolean()) : Optional.empty(),
              s.has("Trust") ? Optional.of(s.path("Trust").asBoolean()) : Optional.empty(),
              VfLinkState.fromKernel(s.path("LinkState").asInt(0)),
              text(s, "HostIFName").map(InterfaceName::of),
              text(s, "EffectiveMAC").map(MacAddress::parse),
              s.has("MTU") ? OptionalInt.of(s.path("MTU").asInt()) : OptionalInt.empty());
      return new SriovCache(
          cid,
          ifn,
          ns,
          o,
          conf,
          InterfaceName.of(o.path("Master").asText()),
          VfIndex.of(o.path("VFID").asInt()),
          o.has("DPDKMode") ? Optional.of(o.path("DPDKMode").asBoolean()) : Optional.empty(),
          orig);
    } catch (IllegalArgumentException | io.sriov.core.json.JsonBindException e) {
      throw new InvalidCacheException(e.getMessage());
    }
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() || v.asText().isEmpty()
        ? Optional.empty()
        : Optional.of(v.asText());
  }

  /** A cache file that cannot be read back (truncated by a power loss, edited by hand). */
  public static final class InvalidCacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidCacheException(String message) {
      super(message);
    }
  }
}
