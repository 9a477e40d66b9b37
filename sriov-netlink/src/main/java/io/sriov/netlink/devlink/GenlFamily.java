package io.sriov.netlink.devlink;

/**
 * A generic netlink family as the controller reports it ({@code genl ctrl get name NAME}).
 *
 * @param id the nlmsg_type to address it with
 */
public record GenlFamily(int id, String name, int version, int maxAttr) {}
