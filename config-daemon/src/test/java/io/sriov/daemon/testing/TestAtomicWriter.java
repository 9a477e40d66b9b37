package io.sriov.daemon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * TEST STAND-IN for the project's atomic writer ({@code io.sriov.os.files.AtomicFiles::write} once
 * the seams land; today {@code io.sriov.deviceplugin.files.AtomicFiles}, which this module does not
 * depend on): temp file and rename, without the fsync a test does not need.
 */
public final class TestAtomicWriter {
  private TestAtomicWriter() {}

  public static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
