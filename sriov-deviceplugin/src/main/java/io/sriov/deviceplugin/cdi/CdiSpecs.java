package io.sriov.deviceplugin.cdi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.os.files.AtomicFiles;
import io.sriov.sysfs.devnode.DeviceNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDI spec files for CDI mode ({@code --use-cdi}), one per pool: {@code
 * <cdiDir>/sriov-dp-<prefix>-<name>.json} with kind {@code <prefix>/net-pci} (or {@code net-sf},
 * {@code net-accel}) and one CDI device per pool device, named by its ID. All {@code sriov-dp-*}
 * files are removed at start and at stop, as upstream does.
 */
public final class CdiSpecs {
  private static final Logger log = LoggerFactory.getLogger(CdiSpecs.class);
  public static final String CDI_VERSION = "0.6.0";
  static final String FILE_PREFIX = "sriov-dp-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public CdiSpecs(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  public Path fileFor(PreparedPool pool) {
    return dir.resolve(FILE_PREFIX + pool.spec().prefix() + "-" + pool.spec().name() + ".json");
  }

  /** Writes (atomically replaces) the pool's spec file. */
  public void write(PreparedPool pool) {
    ObjectNode root = JSON.createObjectNode();
    root.put("cdiVersion", CDI_VERSION);
    root.put("kind", pool.spec().prefix() + "/" + pool.spec().kind().cdiKind());
    ArrayNode devices = root.putArray("devices");
    for (PreparedDevice d : pool.devices().values()) {
      ObjectNode dev = devices.addObject();
      dev.put("name", d.id());
      ObjectNode edits = dev.putObject("containerEdits");
      // CDI rejects a device without edits; the env entry also tells the container its device.
      edits.putArray("env").add(envName(d.id()) + "=" + d.id());
      if (!d.nodes().isEmpty()) {
        ArrayNode nodes = edits.putArray("deviceNodes");
        for (DeviceNode n : d.nodes()) {
          nodes
              .addObject()
              .put("path", n.containerPath().toString())
              .put("hostPath", n.hostPath().toString())
              .put("permissions", n.permissions());
        }
      }
    }
    Path target = fileFor(pool);
    try {
      AtomicFiles.write(
          target,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
          AtomicFiles.WORLD_READABLE);
    } catch (IOException e) {
      throw new UncheckedIOException("write CDI spec " + target, e);
    }
  }

  public void remove(PreparedPool pool) {
    try {
      Files.deleteIfExists(fileFor(pool));
    } catch (IOException e) {
      log.warn("cannot remove CDI spec file={} error={}", fileFor(pool), e.toString());
    }
  }

  /** Removes every {@code sriov-dp-*} spec file; returns how many. */
  public int removeAll() {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FILE_PREFIX + "*")) {
      for (Path f : files) {
        Files.deleteIfExists(f);
        n++;
      }
    } catch (IOException e) {
      log.warn("cannot clean CDI dir dir={} error={}", dir, e.toString());
    }
    return n;
  }

  /** {@code SRIOV_CDI_DEVICE_<id with non-alphanumerics as _>}. */
  static String envName(String id) {
    StringBuilder b = new StringBuilder("SRIOV_CDI_DEVICE_");
    for (char c : id.toUpperCase(Locale.ROOT).toCharArray()) {
      b.append(Character.isLetterOrDigit(c) ? c : '_');
    }
    return b.toString();
  }
}
