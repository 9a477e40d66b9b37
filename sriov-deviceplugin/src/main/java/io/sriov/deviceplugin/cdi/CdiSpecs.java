package io.sriov.deviceplugin.cdi;

import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.files.OwnedFiles;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.os.files.AtomicFiles;
import io.sriov.os.files.FileErrors;
import io.sriov.sysfs.devnode.DeviceNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDI spec files for CDI mode ({@code --use-cdi}), one per pool, as upstream writes them (through
 * the CDI library v0.5.4's {@code WriteSpec}): {@code
 * <cdiDir>/sriov-dp-<prefix>-<kind>-<name>.yaml} with {@code cdiVersion} 0.5.0 (the lowest version
 * allowing device names that start with a digit and {@code hostPath}, both used), kind {@code
 * <prefix>/net-pci} (or {@code net-sf}, {@code net-accel}) and one CDI device per pool device named
 * by its ID, whose edits are its device nodes.
 *
 * <p>One deliberate difference: a device without device nodes (a netdevice VF on its kernel driver)
 * gets the env edit {@code SRIOV_CDI_DEVICE_<ID>=<id>}. The CDI library rejects a device without
 * edits, so upstream writes no spec at all for such a pool and the container runtime then fails on
 * the annotation; devices with nodes get upstream's bytes.
 *
 * <p>At start every {@code sriov-dp-*} file in the CDI directory and in upstream's other spec
 * directories is removed (upstream's cleanup: leftovers of a crash, or of upstream's plugin on a
 * node migrating from it). At stop, only the files this process wrote and that are still the ones
 * it wrote are removed: an instance that overlaps (a DaemonSet rolling update with surge) keeps its
 * specs.
 */
public final class CdiSpecs {
  private static final Logger log = LoggerFactory.getLogger(CdiSpecs.class);
  public static final String CDI_VERSION = "0.5.0";
  static final String FILE_PREFIX = "sriov-dp-";

  /** The CDI library's default spec directories, which upstream cleans at start and stop. */
  public static final List<Path> UPSTREAM_DIRS =
      List.of(Path.of("/etc/cdi"), Path.of("/var/run/cdi"));

  private final Path dir;
  private final List<Path> staleDirs;
  private final OwnedFiles owned = new OwnedFiles();

  /** Specs in {@code dir}; stale ones are cleaned there only. */
  public CdiSpecs(Path dir) {
    this(dir, List.of());
  }

  /**
   * @param alsoClean further directories whose {@code sriov-dp-*} files are removed at start
   *     (upstream's {@link #UPSTREAM_DIRS} on a real node)
   */
  public CdiSpecs(Path dir, List<Path> alsoClean) {
    this.dir = Objects.requireNonNull(dir, "dir");
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(dir);
    dirs.addAll(alsoClean);
    this.staleDirs = List.copyOf(dirs);
  }

  /** {@code sriov-dp-<prefix>-<kind>-<name>.yaml}, upstream's name for the pool's spec. */
  public Path fileFor(PreparedPool pool) {
    return dir.resolve(fileName(pool.spec()));
  }

  /** {@code sriov-dp-<prefix>-<kind>-<name>.yaml}. */
  public static String fileName(PoolSpec spec) {
    return FILE_PREFIX + spec.prefix() + "-" + spec.kind().cdiKind() + "-" + spec.name() + ".yaml";
  }

  /** Writes (atomically replaces) the pool's spec file. */
  public void write(PreparedPool pool) {
    Path target = fileFor(pool);
    try {
      AtomicFiles.write(
          target, render(pool).getBytes(StandardCharsets.UTF_8), AtomicFiles.WORLD_READABLE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write CDI spec " + target + ": " + FileErrors.describe(e), e);
    }
    owned.created(target);
  }

  /**
   * The spec as YAML, byte for byte as upstream's CDI library writes it: the Go struct marshalled
   * to JSON, then to YAML by sigs.k8s.io/yaml (go-yaml v2), so keys are sorted, the empty
   * spec-level {@code containerEdits} is {@code {}}, sequences are not indented under their key.
   */
  public static String render(PreparedPool pool) {
    StringBuilder y = new StringBuilder(256);
    y.append("cdiVersion: ").append(CDI_VERSION).append('\n');
    y.append("containerEdits: {}\n");
    if (pool.devices().isEmpty()) {
      y.append("devices: []\n");
    } else {
      y.append("devices:\n");
      for (PreparedDevice d : pool.devices().values()) {
        y.append("- containerEdits:\n");
        if (d.nodes().isEmpty()) {
          y.append("    env:\n");
          y.append("    - ").append(GoYaml.scalar(envName(d.id()) + "=" + d.id())).append('\n');
        } else {
          y.append("    deviceNodes:\n");
          for (DeviceNode n : d.nodes()) {
            y.append("    - hostPath: ")
                .append(GoYaml.scalar(n.hostPath().toString()))
                .append('\n');
            y.append("      path: ")
                .append(GoYaml.scalar(n.containerPath().toString()))
                .append('\n');
            y.append("      permissions: ").append(GoYaml.scalar(n.permissions())).append('\n');
          }
        }
        y.append("  name: ").append(GoYaml.scalar(d.id())).append('\n');
      }
    }
    y.append("kind: ")
        .append(GoYaml.scalar(pool.spec().prefix() + "/" + pool.spec().kind().cdiKind()))
        .append('\n');
    return y.toString();
  }

  /** Removes the pool's spec file if this process wrote it and it was not replaced since. */
  public void remove(PreparedPool pool) {
    Path f = fileFor(pool);
    try {
      if (!owned.removeIfOwned(f) && Files.exists(f)) {
        log.info("CDI spec left in place, another instance replaced it file={}", f);
      }
    } catch (IOException e) {
      log.warn("cannot remove CDI spec file={} error=\"{}\"", f, FileErrors.describe(e));
    }
  }

  /** Removes every spec file this process wrote that is still the one it wrote. */
  public void removeOwn() {
    for (Path f : owned.paths()) {
      try {
        owned.removeIfOwned(f);
      } catch (IOException e) {
        log.warn("cannot remove CDI spec file={} error=\"{}\"", f, FileErrors.describe(e));
      }
    }
  }

  /**
   * At start: removes every {@code sriov-dp-*} file of the spec directories and the temp files of
   * interrupted writes in the CDI directory; returns how many.
   */
  public int removeStale() {
    int n = 0;
    try {
      n += AtomicFiles.removeTempFiles(dir).size();
    } catch (IOException e) {
      log.warn("cannot clean CDI temp files dir={} error=\"{}\"", dir, FileErrors.describe(e));
    }
    for (Path d : staleDirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(d, FILE_PREFIX + "*")) {
        for (Path f : files) {
          if (Files.deleteIfExists(f)) {
            n++;
          }
        }
      } catch (IOException e) {
        log.warn("cannot clean CDI dir dir={} error=\"{}\"", d, FileErrors.describe(e));
      }
    }
    return n;
  }

  /** {@code SRIOV_CDI_DEVICE_<id with non-alphanumerics as _>}. */
  static String envName(String id) {
    StringBuilder b = new StringBuilder("SRIOV_CDI_DEVICE_");
    for (char c : id.toUpperCase(Locale.ROOT).toCharArray()) {
      b.append(c < 0x80 && Character.isLetterOrDigit(c) ? c : '_');
    }
    return b.toString();
  }
}
