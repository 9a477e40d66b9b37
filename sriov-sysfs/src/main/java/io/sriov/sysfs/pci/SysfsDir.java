package io.sriov.sysfs.pci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * An open sysfs directory of one walk thread. Names are relative to it and may have several
 * components ({@code iommu_group/name}, {@code net/ens1f0/mtu}); links inside them are followed as
 * the kernel follows them. The directory is not listed unless {@link #list()} is called: an absent
 * attribute costs one failed open, a listing costs more.
 */
interface SysfsDir extends AutoCloseable {

  /** The directory's path, for messages. */
  Path path();

  /** Entry names (without "." and ".."), read on each call. */
  Set<String> list() throws IOException;

  /**
   * The attribute's text without trailing newlines and blanks. {@link
   * java.nio.file.NoSuchFileException} when it is absent; an {@link IOException} naming the error
   * when the kernel refuses the read (EINVAL for the carrier of a down link, EOPNOTSUPP).
   */
  String read(String name) throws IOException;

  /** As {@link #read}, but null when the attribute is absent (no exception: probes are common). */
  String readIfPresent(String name) throws IOException;

  /**
   * The target of a symbolic link as stored. {@link java.nio.file.NoSuchFileException} when absent,
   * {@link java.nio.file.NotLinkException} when not a link.
   */
  Path readLink(String name) throws IOException;

  /** As {@link #readLink}, but null when there is no such entry. */
  Path readLinkIfPresent(String name) throws IOException;

  /** A directory below this one; null when absent or not a directory. */
  SysfsDir open(String name) throws IOException;

  /** Releases the directory; never throws. */
  @Override
  void close();
}
