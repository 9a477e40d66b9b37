package io.sriov.cni.sriov;

import io.sriov.cni.plugin.CniRunner;
import java.io.IOException;

/** {@code /opt/cni/bin/sriov}: one CNI call from the process's environment and stdin. */
public final class SriovCniMain {
  private SriovCniMain() {}

  public static void main(String[] args) throws IOException {
    System.exit(
        CniRunner.run(
            SriovCni.standalone(),
            System.getenv(),
            System.in.readAllBytes(),
            System.out,
            System.err));
  }
}
