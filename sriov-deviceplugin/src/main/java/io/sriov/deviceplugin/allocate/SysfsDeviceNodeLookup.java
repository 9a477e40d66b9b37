package io.sriov.deviceplugin.allocate;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link DeviceNodeLookup} over a sysfs root ({@code /sys}) and a dev root ({@code /dev}); tests
 * pass temp directories. Returned paths are always host paths under {@code /dev}, whatever the
 * roots.
 */
public final class SysfsDeviceNodeLookup implements DeviceNodeLookup {
  private final Path sysRoot;
  private final Path devRoot;

  public SysfsDeviceNodeLookup(Path sysRoot, Path devRoot) {
    this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
    this.devRoot = Objects.requireNonNull(devRoot, "devRoot");
  }

  @Override
  public List<String> rdmaCharDevices(Device device) {
    Path dir =
        device instanceof AuxNetDevice aux
            ? sysRoot.resolve("bus/auxiliary/devices").resolve(aux.id())
            : sysRoot.resolve("bus/pci/devices").resolve(device.pci().address().toString());
    List<String> out = new ArrayList<>();
    for (String sub : List.of("infiniband_verbs", "infiniband_mad")) {
      for (String n : list(dir.resolve(sub))) {
        if (n.startsWith("uverbs") || n.startsWith("umad") || n.startsWith("issm")) {
          out.add("/dev/infiniband/" + n);
        }
      }
    }
    if (exists("/dev/infiniband/rdma_cm")) {
      out.add("/dev/infiniband/rdma_cm");
    }
    return out;
  }

  @Override
  public boolean exists(String hostPath) {
    if (!hostPath.startsWith("/dev/") || hostPath.contains("..")) {
      return false;
    }
    return Files.exists(devRoot.resolve(hostPath.substring("/dev/".length())));
  }

  private static List<String> list(Path dir) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path e : entries) {
        names.add(e.getFileName().toString());
      }
    } catch (IOException e) {
      return names;
    }
    names.sort(null);
    return names;
  }
}
