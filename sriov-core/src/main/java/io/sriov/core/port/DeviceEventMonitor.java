package io.sriov.core.port;

/**
 * Watches the kernel's PCI device events. The real implementation (sriov-netlink) listens on a
 * NETLINK_KOBJECT_UEVENT socket bound to the kernel's multicast group (the shell equivalent is
 * {@code udevadm monitor --kernel --subsystem-match=pci}); the simulated node provides one driven
 * by its simulated kernel. Only {@code SUBSYSTEM=pci} events are delivered; after lost events
 * subscribers rediscover the devices ({@code onLost}).
 */
public interface DeviceEventMonitor extends EventSource<DeviceEvent> {}
