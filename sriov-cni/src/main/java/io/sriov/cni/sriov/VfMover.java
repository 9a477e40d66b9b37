package io.sriov.cni.sriov;

import io.sriov.cni.plugin.CniLog;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Moves a VF netdev between the host and a pod, renaming it on the way (upstream's {@code SetupVF}
 * / {@code ReleaseVF}). Each way is ONE move that renames in the same request ({@link
 * io.sriov.netlink.route.LinkOperations#moveToNamespace(int, Path, InterfaceName)}, as {@code ip
 * link set dev X netns NS name NEW}): the kernel takes the link down, moves it (under the new name
 * when its old one is taken there) and renames it. The caller checked that the pod has no link of
 * the pod name; one that appears meanwhile fails the rename after the move, and the VF is moved
 * straight back under its host name. A crash after the move leaves the VF in the pod (as {@code
 * host-device} does), recorded in the cache written before it, so DEL finds it there by its PCI
 * address whatever its name.
 */
final class VfMover {
  /**
   * The altname ADD gives the VF, {@code sriov-host-<host name>}: the VF carries its host name with
   * it (into the pod, and back to the host when the kernel returns it from a deleted namespace), so
   * a DEL without cache can still give it its name back. Removed when the VF returns to the host.
   */
  static final String HOST_NAME_ALTNAME = "sriov-host-";

  private final RtnlNamespaces namespaces;

  VfMover(RtnlNamespaces namespaces) {
    this.namespaces = namespaces;
  }

  /**
   * Host netdev {@code hostName} of the VF at {@code pciAddress} becomes {@code ifName} in {@code
   * podNetns}, down ({@code pod} is the caller's rtnetlink there); {@link #recordHostName} is the
   * next step. On failure the VF is back in the host under {@code hostName} and the error is
   * rethrown (a pod name taken meanwhile: {@link InvalidNetConfException}).
   *
   * @return the VF's link in the pod
   */
  Link intoPod(
      CniLog log,
      RtnlOperations host,
      InterfaceName hostName,
      String pciAddress,
      InterfaceName ifName,
      Path podNetns,
      RtnlOperations pod)
      throws NetlinkException {
    return intoPod(log, host, hostName, Optional.empty(), pciAddress, ifName, podNetns, pod);
  }

  /**
   * {@link #intoPod(CniLog, RtnlOperations, InterfaceName, String, InterfaceName, Path,
   * RtnlOperations)} with the VF's host link as the caller read it under its lock ({@code known},
   * named {@code hostName}; empty: read here).
   */
  Link intoPod(
      CniLog log,
      RtnlOperations host,
      InterfaceName hostName,
      Optional<Link> known,
      String pciAddress,
      InterfaceName ifName,
      Path podNetns,
      RtnlOperations pod)
      throws NetlinkException {
    Optional<Link> current = known.filter(l -> l.name().equals(hostName));
    if (current.isEmpty()) {
      current = host.link(hostName.value());
    }
    Link link =
        current.orElseThrow(
            () -> new VfConfigException("VF netdev " + hostName + " is not in the host namespace"));
    try {
      host.moveToNamespace(link.index(), podNetns, ifName);
    } catch (ErrnoException e) {
      if (!e.errno().equals(Errno.EEXIST) || host.link(link.index()).isPresent()) {
        throw e; // not moved: nothing to undo
      }
      // moved under its host name, not renamed: the pod name was taken after the caller's check
      InvalidNetConfException clash =
          new InvalidNetConfException(
              "interface "
                  + ifName
                  + " already exists in "
                  + podNetns
                  + " (it appeared while the VF "
                  + hostName
                  + " was moved in; the VF was moved back to the host)");
      clash.initCause(e);
      Optional<Link> moved = find(pod, hostName, pciAddress);
      if (moved.isEmpty()) {
        clash.addSuppressed(
            new VfConfigException("VF netdev " + hostName + " not found in " + podNetns));
      } else {
        backToHost(pod, moved.get().index(), hostName, clash);
      }
      throw clash;
    }
    return byName(pod, ifName, "the pod namespace " + podNetns);
  }

  /**
   * The VF just moved into the pod ({@code arrived}, as {@link #intoPod} returned it): the
   * host-name altname some systems add is dropped (upstream #250) and the {@link
   * #HOST_NAME_ALTNAME} marker added. A failure is thrown with the VF left in the pod: the caller
   * moves it back ({@link #backToHost}), after whatever it runs beside this step.
   *
   * @return the link with its altnames as they are now
   */
  Link recordHostName(CniLog log, RtnlOperations pod, Link arrived, InterfaceName hostName)
      throws NetlinkException {
    List<String> names = new ArrayList<>(arrived.altNames());
    if (names.remove(hostName.value())) {
      pod.deleteAltName(arrived.index(), hostName.value());
    }
    String marker = HOST_NAME_ALTNAME + hostName.value();
    if (!names.contains(marker)) {
      try {
        pod.addAltName(arrived.index(), marker);
        names.add(marker);
      } catch (ErrnoException e) {
        // a kernel without altnames (before 5.5): the cache alone records the name
        log.warning(
            "host-name altname not added", "ifName", arrived.name(), "error", e.getMessage());
      }
    }
    return names.equals(arrived.altNames()) ? arrived : arrived.withAltNames(names);
  }

  /**
   * A failure after the move: back to the host under {@code hostName} (one move with the rename),
   * the marker altname dropped first; failures suppressed into {@code cause}.
   */
  void backToHost(RtnlOperations pod, int index, InterfaceName hostName, Exception cause) {
    try {
      Optional<Link> l = pod.link(index);
      if (l.isPresent() && l.get().altNames().contains(HOST_NAME_ALTNAME + hostName.value())) {
        pod.deleteAltName(index, HOST_NAME_ALTNAME + hostName.value());
      }
      pod.moveToNamespace(index, namespaces.hostNamespace(), hostName);
    } catch (NetlinkException | RuntimeException undo) {
      cause.addSuppressed(undo);
    }
  }

  /**
   * The VF's link in {@code ns}: by {@code name} when that link's parent device is the VF's PCI
   * address, else any link whose parent device is the VF; the link named {@code name} when the
   * kernel names no parent device for it and no link has the VF as parent (a kernel without
   * IFLA_PARENT_DEV_NAME), never a link whose parent is another device.
   */
  static Optional<Link> find(RtnlOperations ns, InterfaceName name, String pciAddress)
      throws NetlinkException {
    Optional<Link> byName = ns.link(name.value());
    if (byName.isPresent()
        && byName.get().parentDeviceName().map(pciAddress::equals).orElse(false)) {
      return byName;
    }
    for (Link l : ns.links()) {
      if (l.parentDeviceName().map(pciAddress::equals).orElse(false)) {
        return Optional.of(l);
      }
    }
    return byName.filter(l -> l.parentDeviceName().isEmpty());
  }

  /**
   * Gives the VF in the pod ({@code vf}, as just read there) back to the host: the marker altname
   * dropped in the pod, moved and renamed to {@code hostName} in one request (the kernel takes it
   * down first), then in the host its original MAC and MTU (cheap while it is down) and the
   * pod-name altname dropped (upstream #445 leaves it), only what {@code vf} shows differing: the
   * move changes none of them, so when nothing differs the host is not read again. A host name
   * taken in the host fails with EEXIST after the move: the VF is in the host under its pod name,
   * and DEL's retry (the cache kept, which names the host name) finds it there.
   */
  void outOfPod(
      RtnlOperations pod,
      RtnlOperations host,
      Link vf,
      InterfaceName hostName,
      Optional<MacAddress> mac,
      OptionalInt mtu,
      InterfaceName podName)
      throws NetlinkException {
    for (String a : vf.altNames()) {
      if (a.startsWith(HOST_NAME_ALTNAME)) {
        pod.deleteAltName(vf.index(), a);
      }
    }
    pod.moveToNamespace(vf.index(), namespaces.hostNamespace(), hostName);
    boolean podNameLeft = !podName.equals(hostName) && vf.altNames().contains(podName.value());
    boolean macDiffers = mac.isPresent() && !vf.mac().equals(mac);
    boolean mtuDiffers = mtu.isPresent() && vf.mtu() != mtu.getAsInt();
    if (podNameLeft || macDiffers || mtuDiffers) {
      settleInHost(host, hostName, hostName, podName, mac, mtu);
    }
  }

  /**
   * The VF's netdev is in the host already (moved back by a crash, a deleted netns or an earlier
   * DEL) as {@code current}: give it its host name back, drop the pod-name and marker altnames and
   * put back its MAC and MTU where given and different.
   */
  void settleInHost(
      RtnlOperations host,
      InterfaceName current,
      InterfaceName hostName,
      InterfaceName podName,
      Optional<MacAddress> mac,
      OptionalInt mtu)
      throws NetlinkException {
    Link l = byName(host, current, "the host namespace");
    if (!l.name().equals(hostName)) {
      if (l.isUp()) {
        host.setUp(l.index(), false);
      }
      host.rename(l.index(), hostName);
      l = host.link(l.index()).orElseThrow();
    }
    if (!podName.equals(hostName) && l.altNames().contains(podName.value())) {
      host.deleteAltName(l.index(), podName.value());
    }
    for (String a : l.altNames()) {
      if (a.startsWith(HOST_NAME_ALTNAME)) {
        host.deleteAltName(l.index(), a);
      }
    }
    if (mac.isPresent() && !l.mac().equals(mac)) {
      host.setMac(l.index(), mac.get());
    }
    if (mtu.isPresent() && l.mtu() != mtu.getAsInt()) {
      host.setMtu(l.index(), mtu.getAsInt());
    }
  }

  /** The host name ADD recorded on the VF ({@link #HOST_NAME_ALTNAME}); empty when none. */
  static Optional<InterfaceName> recordedHostName(Link vf) {
    for (String a : vf.altNames()) {
      if (a.startsWith(HOST_NAME_ALTNAME)) {
        try {
          return Optional.of(InterfaceName.of(a.substring(HOST_NAME_ALTNAME.length())));
        } catch (IllegalArgumentException e) {
          return Optional.empty(); // not one this plugin wrote
        }
      }
    }
    return Optional.empty();
  }

  private static Link byName(RtnlOperations ns, InterfaceName name, String where)
      throws NetlinkException {
    return ns.link(name.value())
        .orElseThrow(() -> new VfConfigException("VF netdev " + name + " is not in " + where));
  }
}
