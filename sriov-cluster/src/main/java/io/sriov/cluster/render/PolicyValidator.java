package io.sriov.cluster.render;

import io.sriov.cluster.api.SriovNetworkNicSelector;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodePolicySpec;
import io.sriov.daemon.state.InterfaceStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Upstream's admission-webhook checks of a {@link SriovNetworkNodePolicy}, run by each daemon for
 * its own node (there is no webhook): the policy's own fields, the policy against this node's PFs,
 * and the policy against another policy selecting the same node. Messages are the webhook's.
 *
 * <p>Not ported: the supported-NIC list (upstream's {@code supported-nic-ids} ConfigMap; the daemon
 * checks the actual device instead, as upstream's {@code DEV_MODE}), and the cluster-wide "no
 * matched node" / "no supported NIC" checks, which no single node can decide.
 */
public final class PolicyValidator {
  static final String INTEL = "8086";
  static final String MELLANOX = "15b3";
  static final int MELLANOX_MAX_VFS = 128;
  private static final int RESOURCE_NAME_MAX_LEN = 63;
  private static final Pattern RESOURCE_NAME =
      Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$");

  /** The policy's own fields (upstream's {@code staticValidateSriovNetworkNodePolicy}). */
  public Optional<String> checkFields(SriovNetworkNodePolicy policy) {
    try {
      fields(policy);
      return Optional.empty();
    } catch (PolicyException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static void fields(SriovNetworkNodePolicy policy) {
    SriovNetworkNodePolicySpec p = policy.getSpec();
    String name = policy.getMetadata().getName();
    resourceName(p.resourceName());
    SriovNetworkNicSelector s = p.nicSelector();
    if (NicSelection.isEmpty(s)) {
      throw new PolicyException(
          "at least one of these parameters (vendor, deviceID, pfNames, rootDevices or netFilter)"
              + " has to be defined in nicSelector in CR "
              + name);
    }
    if (!s.netFilter().isEmpty()) {
      if (!s.vendor().isEmpty()
          || !s.deviceID().isEmpty()
          || !s.pfNames().isEmpty()
          || !s.rootDevices().isEmpty()) {
        throw new PolicyException(
            "nicSelector fields vendor, deviceID, pfNames, and rootDevices are not allowed when"
                + " netFilter is specified");
      }
      if (!p.eSwitchMode().isEmpty()) {
        throw new PolicyException("eSwitchMode is not supported when netFilter is specified");
      }
      if (p.bridge() != null && p.bridge().ovs() != null) {
        throw new PolicyException(
            "bridge configuration is not supported when netFilter is specified");
      }
      if (!p.linkType().isEmpty() && !p.linkType().equalsIgnoreCase("eth")) {
        throw new PolicyException(
            "linkType \""
                + p.linkType()
                + "\" is not allowed when netFilter is specified, only 'eth' or 'ETH' are supported");
      }
    }
    for (String pf : s.pfNames()) {
      PfNameSelector.parse(pf, p.numVfs());
    }
    String deviceType =
        p.deviceType().isEmpty() ? PolicyApplication.DEFAULT_DEVICE_TYPE : p.deviceType();
    if (deviceType.equals("vfio-pci") && p.isRdma()) {
      throw new PolicyException(
          "'deviceType: vfio-pci' conflicts with 'isRdma: true'; Set 'deviceType' to"
              + " (string)'netdevice' Or Set 'isRdma' to (bool)'false'");
    }
    boolean switchdev = p.eSwitchMode().equals("switchdev");
    if (!p.linkType().isEmpty() && !p.linkType().equalsIgnoreCase("eth") && switchdev) {
      throw new PolicyException("'eSwitchMode: switchdev' can be used only with ethernet links");
    }
    boolean vdpa = p.vdpaType().equals("virtio") || p.vdpaType().equals("vhost");
    if (!deviceType.equals("netdevice") && vdpa) {
      throw new PolicyException(
          "'deviceType: "
              + deviceType
              + "' conflicts with '"
              + p.vdpaType()
              + "'; Set 'deviceType' to (string)'netdevice' Or Remove 'vdpaType'");
    }
    if (vdpa && !switchdev) {
      throw new PolicyException("vdpa requires the device to be configured in switchdev mode");
    }
    boolean bridge = p.bridge() != null && p.bridge().ovs() != null;
    if (bridge && !switchdev) {
      throw new PolicyException(
          "software bridge management requires the device to be configured in switchdev mode");
    }
    if (bridge && p.externallyManaged()) {
      throw new PolicyException(
          "software bridge management can't be used when the device externally managed");
    }
  }

  private static void resourceName(String name) {
    if (name.isEmpty()) {
      throw new PolicyException("resource name must not be empty");
    }
    if (name.length() > RESOURCE_NAME_MAX_LEN) {
      throw new PolicyException(
          "resource name \""
              + name
              + "\" must be no more than "
              + RESOURCE_NAME_MAX_LEN
              + " characters");
    }
    if (!RESOURCE_NAME.matcher(name).matches()) {
      throw new PolicyException(
          "resource name \""
              + name
              + "\" is invalid: must consist of alphanumeric characters or hyphens, and must start"
              + " and end with an alphanumeric character (e.g. 'myresource', 'net-device-1'), see"
              + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names");
    }
  }

  /** The policy against the PFs of this node it selects (upstream's validatePolicyForNodeState). */
  public Optional<String> checkAgainstNode(
      SriovNetworkNodePolicy policy, List<InterfaceStatus> discovered) {
    SriovNetworkNodePolicySpec p = policy.getSpec();
    String name = policy.getMetadata().getName();
    for (InterfaceStatus pf : discovered) {
      if (!NicSelection.selects(p.nicSelector(), pf)) {
        continue;
      }
      if (p.numVfs() == 0) {
        return Optional.of("numVfs(0) in CR " + name + " is not allowed");
      }
      if (p.numVfs() > pf.totalvfs() && pf.vendor().equals(INTEL)) {
        return Optional.of(exceeds(p.numVfs(), name, pf.totalvfs(), pf.name()));
      }
      if (p.numVfs() > MELLANOX_MAX_VFS && pf.vendor().equals(MELLANOX)) {
        return Optional.of(exceeds(p.numVfs(), name, MELLANOX_MAX_VFS, pf.name()));
      }
      if (p.externallyManaged()) {
        if (p.numVfs() > pf.numVfs()) {
          return Optional.of(
              "numVfs("
                  + p.numVfs()
                  + ") in CR "
                  + name
                  + " is higher than the virtual functions allocated for the PF externally value("
                  + pf.numVfs()
                  + ")");
        }
        if (p.mtu() != 0 && p.mtu() > pf.mtu()) {
          return Optional.of(
              "MTU("
                  + p.mtu()
                  + ") in CR "
                  + name
                  + " is higher than the MTU for the PF externally value("
                  + pf.mtu()
                  + ")");
        }
        if (!p.linkType().isEmpty() && !p.linkType().equalsIgnoreCase(pf.linkType())) {
          return Optional.of(
              "LinkType("
                  + p.linkType()
                  + ") in CR "
                  + name
                  + " is not equal to the LinkType for the PF externally value("
                  + pf.linkType()
                  + ")");
        }
      }
      if ((p.vdpaType().equals("virtio") || p.vdpaType().equals("vhost"))
          && !pf.vendor().equals(MELLANOX)) {
        return Optional.of(
            "vendor("
                + pf.vendor()
                + ") in CR "
                + name
                + " not supported for vdpa interface("
                + pf.name()
                + ")");
      }
    }
    return Optional.empty();
  }

  private static String exceeds(int numVfs, String policy, int max, String pf) {
    return "numVfs("
        + numVfs
        + ") in CR "
        + policy
        + " exceed the maximum allowed value("
        + max
        + ") interface("
        + pf
        + ")";
  }

  /**
   * {@code current} against {@code previous}, another policy selecting this node (upstream's
   * validatePolicyForNodePolicy): same PF with overlapping VF ranges, the same root device, mixed
   * {@code externallyManaged} on one PF, or conflicting {@code excludeTopology} on one resource. PF
   * names are compared after resolving altnames to this node's PF names.
   */
  public Optional<String> checkAgainst(
      SriovNetworkNodePolicy current,
      SriovNetworkNodePolicy previous,
      List<InterfaceStatus> discovered) {
    SriovNetworkNodePolicySpec c = current.getSpec();
    SriovNetworkNodePolicySpec p = previous.getSpec();
    String previousName = previous.getMetadata().getName();
    for (String curEntry : c.nicSelector().pfNames()) {
      PfNameSelector cur = lenient(curEntry);
      String curName = resolve(cur.name(), discovered);
      for (String preEntry : p.nicSelector().pfNames()) {
        PfNameSelector pre = lenient(preEntry);
        if (!curName.equals(resolve(pre.name(), discovered))) {
          continue;
        }
        if (c.externallyManaged() != p.externallyManaged()) {
          return Optional.of(
              "externallyManage is inconsistent with existing policy " + previousName);
        }
        int curFirst = cur.first().orElse(-1);
        int curLast = cur.last().orElse(-1);
        int preFirst = pre.first().orElse(-1);
        int preLast = pre.last().orElse(-1);
        if (!(curLast < preFirst || curFirst > preLast)) {
          return Optional.of(
              "VF index range in "
                  + curEntry
                  + " is overlapped with existing policy "
                  + previousName);
        }
      }
    }
    for (String root : c.nicSelector().rootDevices()) {
      if (p.nicSelector().rootDevices().contains(root)) {
        return Optional.of(
            "root device " + root + " is overlapped with existing policy " + previousName);
      }
    }
    if (c.resourceName().equals(p.resourceName()) && c.excludeTopology() != p.excludeTopology()) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "excludeTopology[%b] field conflicts with policy [%s].ExcludeTopology[%b] as they"
                  + " target the same resource[%s]",
              c.excludeTopology(),
              previousName,
              p.excludeTopology(),
              c.resourceName()));
    }
    return Optional.empty();
  }

  /** Upstream's ParseVfRange without the numVfs bound: no range = {@code -1..-1}. */
  private static PfNameSelector lenient(String entry) {
    try {
      return PfNameSelector.parse(entry, Integer.MAX_VALUE);
    } catch (PolicyException e) {
      return PfNameSelector.parse(PfNameSelector.nameOf(entry), Integer.MAX_VALUE);
    }
  }

  /** An altname of a discovered PF resolved to the PF's name (upstream's ResolveInterfaceName). */
  private static String resolve(String name, List<InterfaceStatus> discovered) {
    for (InterfaceStatus pf : discovered) {
      if (pf.altNames().contains(name)) {
        return pf.name();
      }
    }
    return name;
  }
}
