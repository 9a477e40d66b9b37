package io.sriov.netlink.event;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link DeviceEventMonitor} on a NETLINK_KOBJECT_UEVENT socket bound to the kernel's group 1
 * ({@code udevadm monitor --kernel --subsystem-match=pci}): the kernel broadcasts every kobject
 * uevent (add, remove, bind, unbind, change, move...) and one platform thread decodes them with
 * {@link UeventDecoder} and delivers the {@code SUBSYSTEM=pci} ones. Messages from user space (udev
 * re-broadcasts, nl_pid != 0) are dropped by the socket; malformed ones are skipped with a debug
 * log. If the socket overflows (ENOBUFS, events lost), every subscriber's {@code onLost} runs so it
 * can rediscover the devices.
 *
 * <p>Uevents of devices that belong to no network namespace (PCI functions) reach the sockets of
 * every namespace owned by the initial user namespace, so the namespace of the opening thread does
 * not matter for PCI events.
 */
public final class UeventMonitor extends NetlinkEventMonitor<DeviceEvent>
    implements DeviceEventMonitor {

  /** The kernel's uevent multicast group (1); udev re-broadcasts on group 2. */
  public static final int UEVENT_GROUP_KERNEL = 1;

  private UeventMonitor(NetlinkSocket events) {
    super(events, "uevent-monitor", "NETLINK_KOBJECT_UEVENT pci", false);
    startThread();
  }

  @Override
  List<DeviceEvent> decode(ByteBuffer datagram) throws MalformedMessageException {
    return UeventDecoder.decode(datagram).filter(e -> e.subsystem().equals("pci")).stream()
        .toList();
  }

  /** Opens the socket (1 MiB kernel buffer) and starts the monitor thread. */
  public static UeventMonitor start() throws ErrnoException {
    return start(NetlinkSocket.DEFAULT_GROUP_SOCKET_BUFFER);
  }

  /**
   * As {@link #start()} with a kernel-side event buffer of {@code socketBufferBytes}: smaller
   * buffers overflow sooner (subscribers then rediscover), larger ones cost kernel memory.
   */
  public static UeventMonitor start(int socketBufferBytes) throws ErrnoException {
    NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_KOBJECT_UEVENT, UEVENT_GROUP_KERNEL);
    try {
      events.setKernelReceiveBuffer(socketBufferBytes);
      return new UeventMonitor(events);
    } catch (ErrnoException | RuntimeException e) {
      events.close();
      throw e;
    }
  }
}
