package io.sriov.daemon.desired;

import io.sriov.core.device.LinkType;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.netlink.devlink.EswitchMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A validated {@code spec.interfaces[]} entry: a PF that exists on this node and can take the
 * configuration.
 *
 * @param mtu PF MTU to raise to, when given
 * @param linkType the link type the spec asks for, when it names one
 * @param eswitchMode the eswitch mode the spec asks for, when it names one
 * @param source the spec entry as written (for the ownership record and status)
 */
public record DesiredPf(
    PciAddress pciAddress,
    int numVfs,
    OptionalInt mtu,
    Optional<LinkType> linkType,
    Optional<EswitchMode> eswitchMode,
    boolean externallyManaged,
    List<DesiredVfGroup> groups,
    InterfaceSpec source) {

  public DesiredPf {
    Objects.requireNonNull(pciAddress, "pciAddress");
    Objects.requireNonNull(mtu, "mtu");
    Objects.requireNonNull(linkType, "linkType");
    Objects.requireNonNull(eswitchMode, "eswitchMode");
    groups = List.copyOf(groups);
    Objects.requireNonNull(source, "source");
  }

  /** The group VF {@code index} belongs to; VFs outside every group are left alone. */
  public Optional<DesiredVfGroup> groupOf(int index) {
    return groups.stream().filter(g -> g.range().contains(index)).findFirst();
  }
}
