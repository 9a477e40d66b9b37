package io.sriov.deviceplugin.pool;

import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import java.util.Objects;

/**
 * What the device plugin needs to know about one resource pool, independent of how the config file
 * spelled it.
 *
 * @param prefix the resource prefix ({@code intel.com})
 * @param name the resource name ({@code intel_sriov_netdevice})
 * @param excludeTopology when true, devices are advertised without NUMA topology
 * @param additionalInfo {@code additionalInfo}: key {@code *} applies to every device, a PCI
 *     address key to that device or the sub-functions of that PF (overriding {@code *})
 * @param carrierHealth our {@code carrierHealth} key (default true): devices are Unhealthy while
 *     the netdev they depend on (a VF's or SF's PF, a PF's or plain NIC's own) has no carrier or is
 *     gone; false for pools whose pods need no uplink (VF-to-VF traffic on one PF), whose devices
 *     then stay Healthy whatever the link does
 */
public record PoolSpec(
    String prefix,
    String name,
    DeviceKind kind,
    boolean excludeTopology,
    AdditionalInfo additionalInfo,
    AllocationPolicy policy,
    boolean carrierHealth) {

  public PoolSpec {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(additionalInfo, "additionalInfo");
  }

  /** A pool with carrier health (the default). */
  public PoolSpec(
      String prefix,
      String name,
      DeviceKind kind,
      boolean excludeTopology,
      AdditionalInfo additionalInfo,
      AllocationPolicy policy) {
    this(prefix, name, kind, excludeTopology, additionalInfo, policy, true);
  }

  /** A plain pool: with topology, no additional info, default policy. */
  public static PoolSpec simple(String prefix, String name, DeviceKind kind) {
    return new PoolSpec(prefix, name, kind, false, AdditionalInfo.NONE, AllocationPolicy.DEFAULT);
  }

  /** {@code <prefix>/<name>}, the extended resource name kubelet advertises. */
  public String fullName() {
    return prefix + "/" + name;
  }

  /** {@code <prefix>_<name>.sock}, the plugin's socket file name (as upstream names it). */
  public String socketName() {
    return prefix + "_" + name + ".sock";
  }

  public PoolSpec withPolicy(AllocationPolicy p) {
    return new PoolSpec(prefix, name, kind, excludeTopology, additionalInfo, p, carrierHealth);
  }

  public PoolSpec withCarrierHealth(boolean on) {
    return new PoolSpec(prefix, name, kind, excludeTopology, additionalInfo, policy, on);
  }
}
