package io.sriov.sysfs.pci;

import java.io.IOException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads sysfs links below one open directory with the discovery's readers ({@link
 * NativeSysfsReader}: {@code readlinkat} relative to the directory's descriptor, so the kernel
 * resolves the link's own name and not the whole {@code /sys/bus/pci/devices/<a>} path and its link
 * each time; {@link NioSysfsReader} where libc cannot be bound). For callers outside the discovery
 * that read many links of one device (the provisioner's {@code virtfnN}/{@code physfn} checks).
 * Thread-safe: each open directory borrows its own reader.
 */
public final class SysfsLinks {
  private final SysfsReader.Pool readers = new SysfsReader.Pool(SysfsReader::create);

  /** An open directory; null when it does not exist. Close it when done. */
  public Dir open(Path dir) throws IOException {
    SysfsReader reader = readers.take();
    SysfsDir d = null;
    try {
      d = reader.open(dir);
    } finally {
      if (d == null) {
        readers.give(reader);
      }
    }
    return d == null ? null : new Dir(d, reader);
  }

  /** A directory opened by {@link #open}: its links read relative to it. */
  public final class Dir implements AutoCloseable {
    private final SysfsDir dir;
    private SysfsReader reader;

    private Dir(SysfsDir dir, SysfsReader reader) {
      this.dir = dir;
      this.reader = reader;
    }

    /**
     * The target of the link {@code relative} (may have several components: {@code virtfn3/physfn})
     * as stored; empty when there is no such entry or it is not a link.
     */
    public Optional<Path> link(String relative) throws IOException {
      try {
        return Optional.ofNullable(dir.readLinkIfPresent(relative));
      } catch (NotLinkException e) {
        return Optional.empty();
      }
    }

    @Override
    public void close() {
      dir.close();
      if (reader != null) {
        readers.give(reader);
        reader = null;
      }
    }
  }
}
