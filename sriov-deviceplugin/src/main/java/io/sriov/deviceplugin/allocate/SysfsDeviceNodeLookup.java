package io.sriov.deviceplugin.allocate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
  public List<String> rdmaCharDevices(String rdmaDevice) {
    List<String> out = new ArrayList<>();
    for (String verbs : matching(sysRoot.resolve("class/infiniband_verbs"), "uverbs", rdmaDevice)) {
      out.add("/dev/infiniband/" + verbs);
    }
    for (String umad : matching(sysRoot.resolve("class/infiniband_mad"), "umad", rdmaDevice)) {
      out.add("/dev/infiniband/" + umad);
      out.add("/dev/infiniband/issm" + umad.substring("umad".length()));
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

  private static List<String> matching(Path classDir, String prefix, String rdmaDevice) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(classDir)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(classDir, prefix + "*")) {
      for (Path e : entries) {
        Path ibdev = e.resolve("ibdev");
        try {
          if (Files.readString(ibdev, StandardCharsets.US_ASCII).strip().equals(rdmaDevice)) {
            names.add(e.getFileName().toString());
          }
        } catch (IOException ignored) {
          // Entry vanished or is unreadable: it is not this device's.
        }
      }
    } catch (IOException e) {
      return names;
    }
    names.sort(null);
    return names;
  }
}
