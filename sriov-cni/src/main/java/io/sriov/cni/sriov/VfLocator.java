package io.sriov.cni.sriov;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a VF's PF, index, netdev and driver in sysfs, the way upstream does and no more (a handful
 * of {@code readlink}s and directory reads, never a bus walk): {@code <vf>/physfn}, {@code
 * <pf>/net/}, {@code <pf>/virtfnN}, {@code <vf>/net/}, {@code <vf>/driver}.
 */
public final class VfLocator {
  private final SysfsRoot root;

  /**
   * The index each VF had when this locator last found it: tried first next time (one {@code
   * readlink}, checked like any hint), so a daemon's repeated ADDs and DELs on a VF skip the walk.
   * At most one entry per VF of the node.
   */
  private final ConcurrentHashMap<PciAddress, VfIndex> lastIndex = new ConcurrentHashMap<>();

  public VfLocator(SysfsRoot root) {
    this.root = root;
  }

  /**
   * The VF at {@code address}.
   *
   * @throws InvalidNetConfException no such PCI device, not a VF, its PF has no netdev, or the PF
   *     does not list it
   * @throws UncheckedIOException sysfs could not be read
   */
  public VfDevice locate(PciAddress address) {
    return locate(address, Optional.empty());
  }

  /**
   * The VF at {@code address}, its index tried first as {@code hint} says (a DEL's cache), else as
   * this locator last found it: one {@code readlink} of {@code <pf>/virtfn<hint>} instead of the
   * PF's directory listed and its {@code virtfnN} links read in turn; a hint that does not lead to
   * the VF (numVfs changed since) falls back to that walk.
   *
   * @throws InvalidNetConfException as {@link #locate(PciAddress)}
   */
  public VfDevice locate(PciAddress address, Optional<VfIndex> hint) {
    try {
      Path vf = root.pciDevice(address);
      if (!Files.isDirectory(vf)) {
        throw new InvalidNetConfException(
            "deviceID " + address + ": no such PCI device (" + root.display(vf) + ")");
      }
      PciAddress pf =
          SysfsFiles.readLink(vf.resolve("physfn"))
              .map(p -> PciAddress.parse(p.getFileName().toString()))
              .orElseThrow(
                  () ->
                      new InvalidNetConfException(
                          "deviceID "
                              + address
                              + ": not a VF (no "
                              + root.display(vf)
                              + "/physfn)"));
      Path pfDir = root.pciDevice(pf);
      InterfaceName pfName =
          first(pfDir.resolve("net"))
              .orElseThrow(
                  () ->
                      new InvalidNetConfException(
                          "deviceID "
                              + address
                              + ": its PF "
                              + pf
                              + " has no netdev ("
                              + root.display(pfDir)
                              + "/net is empty)"));
      VfIndex index =
          hinted(address, pfDir, hint.or(() -> Optional.ofNullable(lastIndex.get(address))))
              .orElse(null);
      if (index == null) {
        index = index(address, pf, pfDir);
        lastIndex.put(address, index);
      }
      Optional<DriverName> driver =
          SysfsFiles.readLink(vf.resolve("driver"))
              .map(p -> DriverName.of(p.getFileName().toString()));
      return new VfDevice(address, pf, pfName, index, first(vf.resolve("net")), driver);
    } catch (IOException e) {
      throw new UncheckedIOException("reading sysfs for VF " + address + ": " + e.getMessage(), e);
    }
  }

  /** The VF's netdev in the host namespace now, if any ({@code <vf>/net/}). */
  public Optional<InterfaceName> netdev(PciAddress address) {
    try {
      return first(root.pciDevice(address).resolve("net"));
    } catch (IOException e) {
      throw new UncheckedIOException("reading sysfs for VF " + address + ": " + e.getMessage(), e);
    }
  }

  private static Optional<VfIndex> hinted(PciAddress vf, Path pfDir, Optional<VfIndex> hint)
      throws IOException {
    if (hint.isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> target = SysfsFiles.readLink(pfDir.resolve("virtfn" + hint.get().value()));
    return target.isPresent() && target.get().getFileName().toString().equals(vf.toString())
        ? hint
        : Optional.empty();
  }

  private VfIndex index(PciAddress vf, PciAddress pf, Path pfDir) throws IOException {
    for (String name : SysfsFiles.list(pfDir)) {
      if (!name.startsWith("virtfn")) {
        continue;
      }
      String n = name.substring("virtfn".length());
      if (n.isEmpty() || !n.chars().allMatch(Character::isDigit) || n.length() > 4) {
        continue;
      }
      Optional<Path> target = SysfsFiles.readLink(pfDir.resolve(name));
      if (target.isPresent() && target.get().getFileName().toString().equals(vf.toString())) {
        return VfIndex.of(Integer.parseInt(n));
      }
    }
    throw new InvalidNetConfException(
        "deviceID " + vf + ": its PF " + pf + " lists no virtfn link to it");
  }

  /** The first entry (by name) of a {@code net/} directory, when there is one. */
  private static Optional<InterfaceName> first(Path netDir) throws IOException {
    if (!Files.isDirectory(netDir, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> names = SysfsFiles.list(netDir);
    if (names.isEmpty()) {
      return Optional.empty();
    }
    Collections.sort(names);
    return Optional.of(InterfaceName.of(names.get(0)));
  }
}
