package io.sriov.cni.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A plugin's stdout or stderr, kept in memory up to the wire protocol's limit. Past it, writes fail
 * with an {@link IOException} (the plugin's writer reports it) and {@link #overflowed()} says so.
 */
final class BoundedOutput extends OutputStream {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final int limit;
  private boolean overflowed;

  BoundedOutput(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    if (overflowed || bytes.size() + (long) len > limit) {
      int room = overflowed ? 0 : limit - bytes.size();
      bytes.write(b, off, room);
      overflowed = true;
      throw new IOException("output past the CNI wire protocol's limit of " + limit + " bytes");
    }
    bytes.write(b, off, len);
  }

  synchronized boolean overflowed() {
    return overflowed;
  }

  synchronized byte[] toByteArray() {
    return bytes.toByteArray();
  }
}
