package io.sriov.deviceplugin.devinfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-info files for the CNI, in the network-plumbing working group's device-info format 1.1.0,
 * at {@code <dir>/<prefix>-<name>-<id>-device.json} ({@code dir} is normally {@code
 * /var/run/k8s.cni.cncf.io/devinfo/dp}). Written at Allocate for netDevice pools; a pool's files
 * are removed when its server starts and stops.
 */
public final class DeviceInfoFiles {
  private static final Logger log = LoggerFactory.getLogger(DeviceInfoFiles.class);
  public static final String VERSION = "1.1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public DeviceInfoFiles(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  public Path fileFor(PoolSpec spec, String deviceId) {
    return dir.resolve(filePrefix(spec) + deviceId + "-device.json");
  }

  private static String filePrefix(PoolSpec spec) {
    return spec.prefix() + "-" + spec.name() + "-";
  }

  /** The device-info document for {@code device}. */
  public static ObjectNode document(Device device) {
    ObjectNode root = JSON.createObjectNode();
    if (device instanceof PciNetDevice net && net.vdpa().isPresent()) {
      VdpaDevice v = net.vdpa().get();
      root.put("type", "vdpa");
      root.put("version", VERSION);
      ObjectNode vdpa = root.putObject("vdpa");
      vdpa.put("parent-device", v.name());
      vdpa.put("driver", v.type().driver());
      v.vhostDevice().ifPresent(p -> vdpa.put("path", "/dev/" + p));
      vdpa.put("pci-address", net.id());
      return root;
    }
    root.put("type", "pci");
    root.put("version", VERSION);
    ObjectNode pci = root.putObject("pci");
    pci.put("pci-address", device.pci().address().toString());
    if (device instanceof PciNetDevice net && net.rdma().capable()) {
      pci.put("rdma-device", String.join(",", net.rdma().devices()));
    }
    return root;
  }

  /** Writes (atomically replaces) the device's file. */
  public void write(PoolSpec spec, Device device) {
    Path target = fileFor(spec, device.id());
    try {
      AtomicFiles.write(
          target, JSON.writeValueAsBytes(document(device)), AtomicFiles.WORLD_READABLE);
    } catch (IOException e) {
      throw new UncheckedIOException("write device-info file " + target, e);
    }
  }

  /**
   * Removes the pool's files, and only its own: the part after {@code <prefix>-<name>-} must be a
   * device ID, so pool {@code a} never removes pool {@code a-b}'s files. Returns how many.
   */
  public int removePool(PoolSpec spec) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    String prefix = filePrefix(spec);
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith("-device.json")) {
          continue;
        }
        String id = name.substring(prefix.length(), name.length() - "-device.json".length());
        if (isDeviceId(id)) {
          Files.deleteIfExists(f);
          n++;
        }
      }
    } catch (IOException e) {
      log.warn("cannot clean device-info dir={} error={}", dir, e.toString());
    }
    return n;
  }

  private static boolean isDeviceId(String id) {
    if (PciAddress.isValid(id)) {
      return true;
    }
    try {
      AuxDeviceName.parse(id);
      return !id.contains(":") && !id.contains("-");
    } catch (RuntimeException e) {
      return false;
    }
  }
}
