package io.sriov.daemon.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ownership record as one JSON file in the daemon's state directory:
 *
 * <pre>
 * {"version":1,"pfs":[{"pciAddress":"0000:3b:00.0","originalMtu":1500,"originalEswitchMode":"legacy"}]}
 * </pre>
 *
 * Every change rewrites the whole file with sriov-os's {@link AtomicFiles} (temp file, fsync,
 * rename, mode 0600) in a 0700 directory, so a crash leaves the old or the new record, never a torn
 * one, and no other user can read it. A missing file is an empty record; an unreadable or malformed
 * one is an error (the daemon must not forget PFs it configured).
 */
public final class FileOwnershipStore implements OwnershipStore {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Replaces a file atomically: {@link AtomicFiles#write(Path, byte[])}, or a test's fault. */
  @FunctionalInterface
  public interface AtomicWriter {
    void write(Path target, byte[] bytes) throws IOException;
  }

  private final Path file;
  private final AtomicWriter writer;

  /**
   * The store in {@code file}, after clearing temp files a crash left in its directory (call once
   * at start, before anything else writes there).
   */
  public static FileOwnershipStore open(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(dir)) {
      AtomicFiles.removeTempFiles(dir);
    }
    return new FileOwnershipStore(file, AtomicFiles::write);
  }

  /** A store writing through {@code writer} (tests inject failures here). */
  public FileOwnershipStore(Path file, AtomicWriter writer) {
    this.file = Objects.requireNonNull(file, "file");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public synchronized Map<PciAddress, OwnedPf> owned() throws IOException {
    return Map.copyOf(read());
  }

  @Override
  public synchronized void putAll(Collection<OwnedPf> pfs) throws IOException {
    if (pfs.isEmpty()) {
      return;
    }
    Map<PciAddress, OwnedPf> all = read();
    pfs.forEach(pf -> all.put(pf.pciAddress(), pf));
    write(all);
  }

  @Override
  public synchronized void remove(PciAddress pf) throws IOException {
    Map<PciAddress, OwnedPf> all = read();
    if (all.remove(pf) != null) {
      write(all);
    }
  }

  private Map<PciAddress, OwnedPf> read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    }
    Map<PciAddress, OwnedPf> out = new TreeMap<>();
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject() || root.path("version").asInt(-1) != 1) {
        throw malformed("expected an object with \"version\": 1");
      }
      JsonNode pfs = root.path("pfs");
      if (!pfs.isArray()) {
        throw malformed("\"pfs\" is not a list");
      }
      for (JsonNode n : pfs) {
        PciAddress a = PciAddress.parse(n.path("pciAddress").asText(""));
        JsonNode mtu = n.path("originalMtu");
        if (!mtu.canConvertToInt() || mtu.intValue() < 0) {
          throw malformed("originalMtu of " + a + " is not a non-negative integer");
        }
        Optional<EswitchMode> mode =
            n.hasNonNull("originalEswitchMode")
                ? Optional.of(EswitchMode.parse(n.get("originalEswitchMode").asText()))
                : Optional.empty();
        out.put(a, new OwnedPf(a, mtu.intValue(), mode));
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw malformed("not JSON: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
    return out;
  }

  private MalformedRecordException malformed(String why) {
    return new MalformedRecordException("ownership record " + file + " is malformed: " + why);
  }

  private void write(Map<PciAddress, OwnedPf> all) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ArrayNode pfs = root.putArray("pfs");
    for (OwnedPf pf : all.values()) {
      ObjectNode n = pfs.addObject();
      n.put("pciAddress", pf.pciAddress().toString());
      n.put("originalMtu", pf.originalMtu());
      pf.originalEswitchMode().ifPresent(m -> n.put("originalEswitchMode", m.configName()));
    }
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    writer.write(file, JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "FileOwnershipStore[" + file + "]";
  }
}
