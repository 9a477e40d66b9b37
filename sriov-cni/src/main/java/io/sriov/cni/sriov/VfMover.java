package io.sriov.cni.sriov;

import io.sriov.cni.plugin.CniLog;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.TemporaryNamespace;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Moves a VF netdev between the host and a pod, renaming it on the way (upstream's {@code SetupVF}
 * / {@code ReleaseVF}). Into the pod it goes through a temporary namespace: the pod name never
 * clashes with a host link, the host name never with a pod link, and a crash leaves the VF in the
 * temporary namespace, which the kernel destroys with the process, giving the VF back to the host.
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
   * Host netdev {@code hostName} becomes {@code ifName} in {@code podNetns} (down; {@code pod} is
   * the caller's rtnetlink there, used to find it on arrival). The host-name altname some systems
   * add is dropped on the way (upstream #250); the {@link #HOST_NAME_ALTNAME} marker is added. On
   * failure the VF is back in the host under {@code hostName} (or, when even that fails, in the
   * temporary namespace, which gives it back to the host when it closes) and the error is rethrown.
   *
   * @return the VF's ifindex in the pod
   */
  int intoPod(
      CniLog log,
      RtnlOperations host,
      InterfaceName hostName,
      InterfaceName ifName,
      Path podNetns,
      RtnlOperations pod)
      throws NetlinkException {
    Link link =
        host.link(hostName.value())
            .orElseThrow(
                () ->
                    new VfConfigException(
                        "VF netdev " + hostName + " is not in the host namespace"));
    if (link.isUp()) {
      host.setUp(link.index(), false);
    }
    try (TemporaryNamespace temp = namespaces.createTemporary()) {
      host.moveToNamespace(link.index(), temp.path());
      RtnlOperations t = temp.rtnl(); // the namespace's own: closed with it
      int i = byName(t, hostName, "the temporary namespace").index();
      try {
        t.rename(i, ifName);
        Link renamed = t.link(i).orElseThrow();
        if (renamed.altNames().contains(hostName.value())) {
          t.deleteAltName(i, hostName.value());
        }
        String marker = HOST_NAME_ALTNAME + hostName.value();
        if (!renamed.altNames().contains(marker)) {
          try {
            t.addAltName(i, marker);
          } catch (ErrnoException e) {
            // a kernel without altnames (before 5.5): the cache alone records the name
            log.warning("host-name altname not added", "ifName", ifName, "error", e.getMessage());
          }
        }
        t.moveToNamespace(i, podNetns);
      } catch (NetlinkException | RuntimeException e) {
        backToHost(t, i, hostName, e);
        throw e;
      }
    }
    return byName(pod, ifName, "the pod namespace " + podNetns).index();
  }

  /** Failure inside the temporary namespace: old name, back to the host; failures suppressed. */
  private void backToHost(RtnlOperations t, int index, InterfaceName hostName, Exception cause) {
    try {
      Optional<Link> l = t.link(index);
      if (l.isPresent() && !l.get().name().equals(hostName)) {
        t.rename(index, hostName);
      }
      if (l.isPresent() && l.get().altNames().contains(HOST_NAME_ALTNAME + hostName.value())) {
        t.deleteAltName(index, HOST_NAME_ALTNAME + hostName.value());
      }
      t.moveToNamespace(index, namespaces.hostNamespace());
    } catch (NetlinkException | RuntimeException undo) {
      cause.addSuppressed(undo);
    }
  }

  /**
   * The VF's link in {@code ns}: by {@code name} when that link is the VF (its parent device is the
   * VF's PCI address, or the kernel does not say), else any link whose parent device is the VF.
   */
  static Optional<Link> find(RtnlOperations ns, InterfaceName name, String pciAddress)
      throws NetlinkException {
    Optional<Link> byName = ns.link(name.value());
    if (byName.isPresent()
        && byName.get().parentDeviceName().map(pciAddress::equals).orElse(true)) {
      return byName;
    }
    for (Link l : ns.links()) {
      if (l.parentDeviceName().map(pciAddress::equals).orElse(false)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /**
   * Gives the VF in the pod back to the host: down, its host name, its original MAC and MTU, moved
   * to the host namespace ({@code host} is the caller's rtnetlink there), the pod-name altname
   * dropped (upstream #445 leaves it).
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
    int i = vf.index();
    pod.setUp(i, false);
    if (!vf.name().equals(hostName)) {
      pod.rename(i, hostName);
    }
    if (mac.isPresent() && !vf.mac().equals(mac)) {
      pod.setMac(i, mac.get());
    }
    if (mtu.isPresent() && vf.mtu() != mtu.getAsInt()) {
      pod.setMtu(i, mtu.getAsInt());
    }
    pod.moveToNamespace(i, namespaces.hostNamespace());
    settleInHost(host, hostName, hostName, podName);
  }

  /**
   * The VF's netdev is in the host already (moved back by a crash, a deleted netns or an earlier
   * DEL) as {@code current}: give it its host name back and drop the pod-name altname.
   */
  void settleInHost(
      RtnlOperations host, InterfaceName current, InterfaceName hostName, InterfaceName podName)
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
