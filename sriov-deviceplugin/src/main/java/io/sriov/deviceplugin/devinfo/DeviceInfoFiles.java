package io.sriov.deviceplugin.devinfo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.json.JsonTrees;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.files.OwnedFiles;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.os.files.AtomicFiles;
import io.sriov.os.files.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-info files for the CNI, in the network-plumbing working group's device-info format 1.1.0,
 * at {@code <dir>/<prefix>-<name>-<id>-device.json} ({@code dir} is normally {@code
 * /var/run/k8s.cni.cncf.io/devinfo/dp}): the name is fixed by the device-info spec (the CNI
 * computes it from the resource name and device ID), so two resources that map to one prefix are
 * refused by the planner. Written at Allocate for netDevice pools; a pool's files are removed when
 * its server starts, and the ones this process wrote when it stops.
 */
public final class DeviceInfoFiles {
  private static final Logger log = LoggerFactory.getLogger(DeviceInfoFiles.class);
  public static final String VERSION = "1.1.0";

  static final String SUFFIX = "-device.json";
  static final String LEDGER = ".sriov-dp-resources";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final OwnedFiles owned = new OwnedFiles();
  private final Map<String, Set<Path>> written = new ConcurrentHashMap<>();
  private final Path ledgerFile;
  private List<String> ledgerContent;
  private FileChannel ledgerChannel;
  private FileLock ledgerLock;

  public DeviceInfoFiles(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    this.ledgerFile = dir.resolve(LEDGER + "." + HexFormat.of().formatHex(id));
  }

  /** This instance's ledger file (exists while it serves pools). */
  Path ledgerFile() {
    return ledgerFile;
  }

  public Path fileFor(PoolSpec spec, String deviceId) {
    return dir.resolve(filePrefix(spec) + deviceId + SUFFIX);
  }

  /**
   * {@code <prefix>-<name>-}: how the device-info spec's {@code getDPDeviceInfoPath} starts a
   * pool's file names (the resource name with {@code /} as {@code -}).
   */
  public static String filePrefix(PoolSpec spec) {
    return spec.prefix() + "-" + spec.name() + "-";
  }

  /**
   * The device-info document for {@code device} taken by a selector with {@code needs}, as
   * upstream's {@code StoreDeviceInfoFile} builds it: type {@code vdpa} only when the selector has
   * {@code vdpaType} and the device has a vDPA device ({@code "driver"} is the vDPA type, {@code
   * vhost} or {@code virtio}, which OVN-Kubernetes compares against), else type {@code pci}, with
   * {@code rdma-device} only when the selector has {@code isRdma}.
   */
  public static ObjectNode document(Device device, DeviceNeeds needs) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (needs.vdpaType().isPresent()
        && device instanceof PciNetDevice net
        && net.vdpa().isPresent()) {
      VdpaDevice v = net.vdpa().get();
      root.put("type", "vdpa");
      root.put("version", VERSION);
      ObjectNode vdpa = root.putObject("vdpa");
      vdpa.put("parent-device", v.name());
      vdpa.put("driver", v.type().configName());
      if (v.type() == VdpaType.VHOST) {
        v.vhostDevice().ifPresent(p -> vdpa.put("path", "/dev/" + p));
      }
      vdpa.put("pci-address", net.id());
      return root;
    }
    root.put("type", "pci");
    root.put("version", VERSION);
    ObjectNode pci = root.putObject("pci");
    pci.put("pci-address", device.pci().address().toString());
    if (needs.rdma() && device instanceof PciNetDevice net && !net.rdma().devices().isEmpty()) {
      pci.put("rdma-device", String.join(",", net.rdma().devices()));
    }
    return root;
  }

  /**
   * Writes (atomically replaces) the device's file, read-only ({@code 0444}) as upstream writes it:
   * the CNI only reads it.
   */
  public void write(PoolSpec spec, Device device, DeviceNeeds needs) {
    Path target = fileFor(spec, device.id());
    try {
      AtomicFiles.write(target, JsonTrees.write(document(device, needs)), AtomicFiles.READ_ONLY);
      owned.created(target);
      written.computeIfAbsent(spec.fullName(), k -> ConcurrentHashMap.newKeySet()).add(target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write device-info file " + target + ": " + FileErrors.describe(e), e);
    }
  }

  /**
   * Removes the pool's files, and only its own: the part after {@code <prefix>-<name>-} must be a
   * device ID, so pool {@code a} never removes pool {@code a-b}'s files. Upstream does this when a
   * pool's server starts; so does this plugin (leftovers of an earlier run). Returns how many.
   */
  public int removePool(PoolSpec spec) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    String prefix = filePrefix(spec);
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (isPoolFile(prefix, f.getFileName().toString())) {
          owned.forget(f);
          if (Files.deleteIfExists(f)) {
            n++;
          }
        }
      }
    } catch (IOException e) {
      log.warn("cannot clean device-info dir={} error=\"{}\"", dir, FileErrors.describe(e));
    }
    return n;
  }

  /**
   * Removes the pool's files that this process wrote and that are still the ones it wrote (a pool
   * retired, the plugin stopping): an overlapping instance's files stay. Returns how many.
   */
  public int removeOwn(PoolSpec spec) {
    Set<Path> mine = written.remove(spec.fullName());
    if (mine == null) {
      return 0;
    }
    int n = 0;
    for (Path f : mine) {
      try {
        if (owned.removeIfOwned(f)) {
          n++;
        }
      } catch (IOException e) {
        log.warn("cannot remove device-info file={} error=\"{}\"", f, FileErrors.describe(e));
      }
    }
    return n;
  }

  /**
   * At start: removes the temp files of interrupted writes, and the files of every pool that the
   * ledger of an instance no longer running lists (pools since removed from the config would
   * otherwise keep theirs forever; the directory is shared with other device plugins, so nothing
   * else is touched). A running instance holds a lock on its ledger, so the ledger of an
   * overlapping instance (a rolling update with surge) is left alone. Returns how many files were
   * removed.
   */
  public int removeLeftovers() {
    int n = 0;
    try {
      n += AtomicFiles.removeTempFiles(dir).size();
    } catch (IOException e) {
      log.warn(
          "cannot clean device-info temp files dir={} error=\"{}\"", dir, FileErrors.describe(e));
    }
    if (!Files.isDirectory(dir)) {
      return n;
    }
    List<Path> ledgers = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, LEDGER + "*")) {
      files.forEach(ledgers::add);
    } catch (IOException e) {
      log.warn("cannot list device-info dir={} error=\"{}\"", dir, FileErrors.describe(e));
    }
    for (Path ledger : ledgers) {
      for (String line : readIfAbandoned(ledger)) {
        int slash = line.indexOf('/');
        if (slash <= 0 || slash == line.length() - 1 || line.indexOf('/', slash + 1) >= 0) {
          continue;
        }
        n +=
            removePool(
                PoolSpec.simple(
                    line.substring(0, slash), line.substring(slash + 1), DeviceKind.NET_DEVICE));
      }
    }
    return n;
  }

  /**
   * The lines of a ledger whose instance is gone (its lock can be taken), which is then deleted;
   * nothing for the ledger of a running instance, or one that cannot be read (logged).
   */
  private List<String> readIfAbandoned(Path ledger) {
    if (ledger.equals(ledgerFile)) {
      return List.of();
    }
    try (FileChannel ch =
            FileChannel.open(
                ledger,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock = tryLock(ch)) {
      if (lock == null) {
        log.debug("device-info ledger of a running instance file={}", ledger);
        return List.of();
      }
      List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
      Files.delete(ledger);
      return lines;
    } catch (IOException e) {
      log.warn(
          "cannot read device-info ledger file={} error=\"{}\"", ledger, FileErrors.describe(e));
      return List.of();
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another instance in this JVM
    }
  }

  /**
   * Records the pools served now in this instance's ledger ({@code .sriov-dp-resources.<16 hex>},
   * one {@code <prefix>/<name>} a line, locked while this instance runs), read by the {@link
   * #removeLeftovers} of a later instance once this one is gone; rewritten only when the set
   * changes; deleted when nothing is served (a clean stop).
   */
  public synchronized void served(Collection<PoolSpec> pools) {
    List<String> names = new ArrayList<>();
    for (PoolSpec p : pools) {
      if (p.kind() == DeviceKind.NET_DEVICE) {
        names.add(p.fullName());
      }
    }
    names.sort(null);
    if (names.equals(ledgerContent)) {
      return;
    }
    try {
      if (names.isEmpty()) {
        closeLedger(true);
      } else {
        byte[] bytes = (String.join("\n", names) + "\n").getBytes(StandardCharsets.UTF_8);
        FileChannel ch = openLedger();
        ch.truncate(0);
        // no fsync: the ledger is advisory (lost at a power cut, leftovers merely survive), and it
        // is
        // written under the manager's lock
        ch.write(ByteBuffer.wrap(bytes), 0);
      }
      ledgerContent = names;
    } catch (IOException e) {
      log.warn(
          "cannot write device-info ledger file={} error=\"{}\"",
          ledgerFile,
          FileErrors.describe(e));
    }
  }

  /** This instance's ledger, created (0600, never through a symlink) and locked on first use. */
  private FileChannel openLedger() throws IOException {
    if (ledgerChannel == null) {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              ledgerFile,
              Set.of(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        ledgerLock = ch.lock();
      } catch (IOException | RuntimeException e) {
        ch.close();
        Files.deleteIfExists(ledgerFile);
        throw e;
      }
      ledgerChannel = ch;
    }
    return ledgerChannel;
  }

  /** Releases the ledger's lock and keeps the file: what the process dying does (for tests). */
  synchronized void releaseLedgerLock() throws IOException {
    closeLedger(false);
  }

  private void closeLedger(boolean delete) throws IOException {
    if (ledgerChannel == null) {
      return;
    }
    try {
      if (delete) {
        Files.deleteIfExists(ledgerFile);
      }
    } finally {
      ledgerLock.release();
      ledgerChannel.close();
      ledgerChannel = null;
      ledgerLock = null;
    }
  }

  private static boolean isPoolFile(String prefix, String name) {
    if (!name.startsWith(prefix) || !name.endsWith(SUFFIX)) {
      return false;
    }
    return isDeviceId(name.substring(prefix.length(), name.length() - SUFFIX.length()));
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
