package io.sriov.cluster.nad;

import io.fabric8.kubernetes.client.CustomResource;
import io.sriov.cluster.api.OVSNetwork;
import io.sriov.cluster.api.OVSNetworkSpec;
import io.sriov.cluster.api.SriovApi;
import io.sriov.cluster.api.SriovIBNetwork;
import io.sriov.cluster.api.SriovIBNetworkSpec;
import io.sriov.cluster.api.SriovNetwork;
import io.sriov.cluster.api.SriovNetworkSpec;
import io.sriov.cluster.api.TrunkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a SriovNetwork, SriovIBNetwork or OVSNetwork into its NetworkAttachmentDefinition exactly
 * as upstream's operator does ({@code api/v1/helper.go RenderNetAttDef} with the templates of
 * {@code bindata/manifests/cni-config}): the text the Go template produces (each {@code {{- -}}}
 * trimming the whitespace around it), then read as the YAML single-quoted scalar it sits in (line
 * breaks folded: one break becomes a space, blank lines become newlines, leading and trailing
 * whitespace of each line dropped). So {@code vlan} and {@code vlanQoS} are always rendered for
 * SriovNetwork, {@code ipam} loses every whitespace character, {@code capabilities} and {@code
 * metaPlugins} are inserted as written, and {@code metaPlugins} turns the config into a {@code
 * plugins} conflist. Stateless.
 */
public final class NadRenderer {
  private static final Set<String> ON_OFF = Set.of("on", "off");
  private static final Set<String> LINK_STATES = Set.of("enable", "disable", "auto");

  private final String resourcePrefix;

  /**
   * @param resourcePrefix upstream's {@code RESOURCE_PREFIX} (e.g. {@code openshift.io}); the
   *     resourceName annotation is {@code <prefix>/<spec.resourceName>}
   */
  public NadRenderer(String resourcePrefix) {
    this.resourcePrefix = Objects.requireNonNull(resourcePrefix, "resourcePrefix");
  }

  /** A SriovNetwork's NAD (CNI type {@code sriov}). */
  public RenderedNad render(SriovNetwork n) {
    SriovNetworkSpec s = n.getSpec();
    List<String> fields = new ArrayList<>();
    fields.add("\"type\":\"sriov\",");
    fields.add("\"vlan\":" + s.vlan() + ",");
    if (ON_OFF.contains(s.spoofChk())) {
      fields.add("\"spoofchk\":\"" + s.spoofChk() + "\",");
    }
    if (ON_OFF.contains(s.trust())) {
      fields.add("\"trust\":\"" + s.trust() + "\",");
    }
    if (s.vlanQoS() >= 0 && s.vlanQoS() <= 7) {
      fields.add("\"vlanQoS\":" + s.vlanQoS() + ",");
    }
    if (!s.vlanProto().isEmpty()) {
      fields.add("\"vlanProto\":\"" + s.vlanProto() + "\",");
    }
    if (s.minTxRate() != null && s.minTxRate() >= 0) {
      fields.add("\"min_tx_rate\":" + s.minTxRate() + ",");
    }
    if (s.maxTxRate() != null && s.maxTxRate() >= 0) {
      fields.add("\"max_tx_rate\":" + s.maxTxRate() + ",");
    }
    capabilitiesAndLinkState(fields, s.capabilities(), s.linkState());
    if (!s.logLevel().isEmpty()) {
      fields.add("\"logLevel\":\"" + s.logLevel() + "\",");
    }
    if (!s.logFile().isEmpty()) {
      fields.add("\"logFile\":\"" + s.logFile() + "\",");
    }
    return nad(n, s.networkNamespace(), s.resourceName(), fields, s.ipam(), s.metaPlugins());
  }

  /**
   * A SriovIBNetwork's NAD (CNI type {@code ib-sriov}, upstream's sriov template without the
   * Ethernet fields; {@code logLevel}/{@code logFile} are never rendered for it).
   */
  public RenderedNad render(SriovIBNetwork n) {
    SriovIBNetworkSpec s = n.getSpec();
    List<String> fields = new ArrayList<>();
    fields.add("\"type\":\"ib-sriov\",");
    capabilitiesAndLinkState(fields, s.capabilities(), s.linkState());
    return nad(n, s.networkNamespace(), s.resourceName(), fields, s.ipam(), s.metaPlugins());
  }

  /** An OVSNetwork's NAD (CNI type {@code ovs}). */
  public RenderedNad render(OVSNetwork n) {
    OVSNetworkSpec s = n.getSpec();
    List<String> fields = new ArrayList<>();
    fields.add("\"type\":\"ovs\",");
    if (!s.capabilities().isEmpty()) {
      fields.add("\"capabilities\":" + s.capabilities() + ",");
    }
    if (!s.bridge().isEmpty()) {
      fields.add("\"bridge\":\"" + s.bridge() + "\",");
    }
    if (s.vlan() != 0) {
      fields.add("\"vlan\":" + s.vlan() + ",");
    }
    if (s.mtu() != 0) {
      fields.add("\"mtu\":" + s.mtu() + ",");
    }
    if (!s.trunk().isEmpty()) {
      fields.add("\"trunk\":" + trunk(s.trunk()) + ",");
    }
    if (!s.interfaceType().isEmpty()) {
      fields.add("\"interface_type\":\"" + s.interfaceType() + "\",");
    }
    return nad(n, s.networkNamespace(), s.resourceName(), fields, s.ipam(), s.metaPlugins());
  }

  private static void capabilitiesAndLinkState(
      List<String> fields, String capabilities, String linkState) {
    if (!capabilities.isEmpty()) {
      fields.add("\"capabilities\":" + capabilities + ",");
    }
    if (LINK_STATES.contains(linkState)) {
      fields.add("\"link_state\":\"" + linkState + "\",");
    }
  }

  /** Go's {@code json.Marshal} of {@code []*TrunkConfig}: minID, maxID, id, absent ones omitted. */
  private static String trunk(List<TrunkConfig> trunk) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < trunk.size(); i++) {
      TrunkConfig t = trunk.get(i);
      List<String> members = new ArrayList<>();
      if (t.minID() != null) {
        members.add("\"minID\":" + t.minID());
      }
      if (t.maxID() != null) {
        members.add("\"maxID\":" + t.maxID());
      }
      if (t.id() != null) {
        members.add("\"id\":" + t.id());
      }
      b.append(i == 0 ? "" : ",").append('{').append(String.join(",", members)).append('}');
    }
    return b.append(']').toString();
  }

  private RenderedNad nad(
      CustomResource<?, ?> n,
      String networkNamespace,
      String resourceName,
      List<String> fields,
      String ipam,
      String metaPlugins) {
    String name = n.getMetadata().getName();
    boolean meta = !metaPlugins.isEmpty();
    StringBuilder t = new StringBuilder();
    t.append("{\n  \"cniVersion\":\"1.0.0\",\n  \"name\":\"").append(name).append("\",");
    if (meta) {
      t.append("\"plugins\": [\n    {");
    }
    fields.forEach(t::append);
    t.append(ipam.isEmpty() ? "\"ipam\":{}" : "\"ipam\":" + withoutGoSpaces(ipam));
    t.append("\n}");
    if (meta) {
      t.append(",\n  ").append(metaPlugins).append("\n  ]\n}");
    }
    return new RenderedNad(
        name,
        networkNamespace.isEmpty() ? n.getMetadata().getNamespace() : networkNamespace,
        resourcePrefix + "/" + resourceName,
        n.getKind() + "." + SriovApi.GROUP + "/" + n.getMetadata().getNamespace() + "/" + name,
        YamlSingleQuoted.fold(t.toString()));
  }

  /** Go's {@code strings.Join(strings.Fields(s), "")}: every Unicode white space removed. */
  static String withoutGoSpaces(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().filter(c -> !goSpace(c)).forEach(b::appendCodePoint);
    return b.toString();
  }

  /** Go's {@code unicode.IsSpace}. */
  private static boolean goSpace(int c) {
    return switch (c) {
      case '\t',
          '\n',
          0x0B,
          '\f',
          '\r',
          ' ',
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }
}
