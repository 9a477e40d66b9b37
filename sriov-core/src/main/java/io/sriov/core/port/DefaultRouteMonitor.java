package io.sriov.core.port;

/**
 * Watches the IPv4 default routes of the main table in one network namespace. The real
 * implementation (sriov-netlink) listens on an rtnetlink socket bound to RTNLGRP_IPV4_ROUTE (the
 * shell equivalent is {@code ip -4 monitor route}, keeping the {@code default} lines of table
 * main); other routes, other tables and IPv6 are not delivered. When events were lost or a
 * notification could not be decoded, subscribers re-read the routes ({@code onLost}).
 */
public interface DefaultRouteMonitor extends EventSource<DefaultRouteEvent> {}
