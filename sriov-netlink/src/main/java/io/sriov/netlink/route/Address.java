package io.sriov.netlink.route;

import io.sriov.core.value.IpPrefix;
import java.util.Optional;

/**
 * An interface address (RTM_NEWADDR; {@code ip addr show}).
 *
 * @param index ifindex it is on
 * @param prefix IFA_LOCAL (IPv4) or IFA_ADDRESS (IPv6) with ifa_prefixlen
 * @param scope RT_SCOPE_*
 * @param flags IFA_FLAGS (IFA_F_*)
 * @param label IFA_LABEL (IPv4 only)
 */
public record Address(int index, IpPrefix prefix, int scope, int flags, Optional<String> label) {}
