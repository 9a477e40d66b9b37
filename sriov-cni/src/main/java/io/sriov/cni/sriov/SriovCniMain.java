package io.sriov.cni.sriov;

import io.sriov.cni.plugin.CniRunner;
import java.io.IOException;

/** {@code /opt/cni/bin/sriov}: one CNI call from the process's environment and stdin. */
public final class SriovCniMain {
  private SriovCniMain() {}

  public static void main(String[] args) throws IOException {
    int status =
        CniRunner.run(
            SriovCni.standalone(),
            System.getenv(),
            System.in.readAllBytes(),
            System.out,
            System.err);
    System.out.flush();
    System.err.flush();
    // halt, not exit: the JDK's exit looks up a System.Logger to log the exit (JDK 17+), which
    // sets up a logging backend (a service lookup over every jar, java.util.logging's
    // configuration) on every call. Nothing here needs shutdown hooks: CniLog flushes each line.
    Runtime.getRuntime().halt(status);
  }
}
