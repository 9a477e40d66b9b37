package io.sriov.daemon.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version the build wrote into {@code version.properties} ({@code --version}). */
final class DaemonVersion {
  private DaemonVersion() {}

  static String current() {
    Properties p = new Properties();
    try (InputStream in = DaemonVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }
}
