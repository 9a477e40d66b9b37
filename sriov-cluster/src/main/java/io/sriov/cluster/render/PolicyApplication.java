package io.sriov.cluster.render;

import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodePolicySpec;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.VfGroupSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One policy applied onto the node's rendered interfaces, as upstream's {@code
 * SriovNetworkNodePolicy.Apply} and {@code mergeConfigs} do it: every discovered PF the policy's
 * {@code nicSelector} selects gets the policy's PF settings and one VF group (range from {@code
 * pfNames "pf#a-b"}, else {@code 0..numVfs-1}). A PF already rendered by an earlier (higher
 * priority number) policy keeps those of its groups with another resource name and a range that
 * does not overlap; the PF settings are the new policy's, except that with equal priorities, or
 * when groups were merged, {@code mtu} and {@code numVfs} are the maximum of both.
 *
 * <p>One deliberate difference: a ranged {@code pfNames} entry naming the PF by an altname keeps
 * its range here; upstream's group builder compares only the PF's primary name and silently widens
 * the group to {@code 0..numVfs-1}, which then overlaps its neighbours.
 */
final class PolicyApplication {
  static final String DEFAULT_DEVICE_TYPE = "netdevice";

  private PolicyApplication() {}

  /**
   * Applies {@code policy} to {@code rendered} (changed in place) for the PFs in {@code
   * discovered}.
   *
   * @param equalPriority whether the previously applied policy had the same priority
   * @throws PolicyException when a {@code pfNames} range of the policy is malformed
   */
  static void apply(
      SriovNetworkNodePolicy policy,
      List<InterfaceStatus> discovered,
      List<InterfaceSpec> rendered,
      boolean equalPriority) {
    SriovNetworkNodePolicySpec p = policy.getSpec();
    if (NicSelection.isEmpty(p.nicSelector())) {
      return;
    }
    for (InterfaceStatus pf : discovered) {
      if (!NicSelection.selects(p.nicSelector(), pf) || p.numVfs() <= 0) {
        continue;
      }
      VfGroupSpec group = group(policy, pf);
      InterfaceSpec result =
          new InterfaceSpec(
              pf.pciAddress(),
              p.numVfs(),
              p.mtu(),
              pf.name(),
              p.linkType(),
              p.eSwitchMode(),
              List.of(group),
              p.externallyManaged());
      int at = indexOf(rendered, pf.pciAddress());
      if (at < 0) {
        rendered.add(result);
      } else {
        rendered.set(at, merge(rendered.get(at), result, equalPriority));
      }
    }
  }

  private static int indexOf(List<InterfaceSpec> rendered, String pci) {
    for (int i = 0; i < rendered.size(); i++) {
      if (rendered.get(i).pciAddress().equals(pci)) {
        return i;
      }
    }
    return -1;
  }

  /** Upstream's {@code mergeConfigs}: {@code input} carries the new policy's one group. */
  static InterfaceSpec merge(InterfaceSpec existing, InterfaceSpec input, boolean equalPriority) {
    VfGroupSpec newGroup = input.vfGroups().get(0);
    List<VfGroupSpec> groups = new ArrayList<>(List.of(newGroup));
    boolean merged = false;
    for (VfGroupSpec g : existing.vfGroups()) {
      if (g.resourceName().equals(newGroup.resourceName()) || overlap(g, newGroup)) {
        continue;
      }
      merged = true;
      groups.add(g);
    }
    int mtu = input.mtu();
    int numVfs = input.numVfs();
    if (equalPriority || merged) {
      mtu = Math.max(mtu, existing.mtu());
      numVfs = Math.max(numVfs, existing.numVfs());
    }
    return new InterfaceSpec(
        input.pciAddress(),
        numVfs,
        mtu,
        input.name(),
        input.linkType(),
        input.eSwitchMode(),
        groups,
        input.externallyManaged());
  }

  /** Whether two groups' {@code a-b} ranges overlap (unparsable ranges never do, as upstream). */
  static boolean overlap(VfGroupSpec a, VfGroupSpec b) {
    int[] ra = range(a.vfRange());
    int[] rb = range(b.vfRange());
    if (ra == null || rb == null) {
      return false;
    }
    return ra[0] <= rb[1] && rb[0] <= ra[1];
  }

  private static int[] range(String r) {
    String[] parts = r.split("-", -1);
    if (parts.length != 2) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static VfGroupSpec group(SriovNetworkNodePolicy policy, InterfaceStatus pf) {
    SriovNetworkNodePolicySpec p = policy.getSpec();
    int first = 0;
    int last = p.numVfs() - 1;
    for (String entry : p.nicSelector().pfNames()) {
      PfNameSelector s = PfNameSelector.parse(entry, p.numVfs());
      if (NicSelection.isNameOf(s.name(), pf)) {
        if (s.hasRange()) {
          first = s.first().getAsInt();
          last = s.last().getAsInt();
        }
        break;
      }
    }
    return new VfGroupSpec(
        p.resourceName(),
        p.deviceType().isEmpty() ? DEFAULT_DEVICE_TYPE : p.deviceType(),
        first + "-" + last,
        policy.getMetadata().getName(),
        p.mtu(),
        p.isRdma(),
        p.vdpaType());
  }
}
