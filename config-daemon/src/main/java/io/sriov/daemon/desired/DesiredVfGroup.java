package io.sriov.daemon.desired;

import io.sriov.core.resource.ResourceName;
import io.sriov.core.selector.IndexRange;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A validated VF group: VFs {@code range} of the PF, for pool {@code resourceName}.
 *
 * @param mtu VF MTU to set on netdevice VFs, when given
 */
public record DesiredVfGroup(
    ResourceName resourceName,
    VfDeviceType deviceType,
    IndexRange range,
    String policyName,
    OptionalInt mtu,
    boolean isRdma) {

  public DesiredVfGroup {
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(deviceType, "deviceType");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(mtu, "mtu");
  }
}
