package io.sriov.cni.server.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the shim relays to the runtime, byte for byte: the plugin's stdout, its stderr and its exit
 * status.
 *
 * @param exitStatus 0 to 255
 */
public record CniAnswer(int exitStatus, byte[] stdout, byte[] stderr) {
  public CniAnswer {
    if (exitStatus < 0 || exitStatus > 255) {
      throw new IllegalArgumentException("exit status " + exitStatus + " is not 0..255");
    }
    stdout = stdout.clone();
    stderr = stderr.clone();
  }

  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public byte[] stderr() {
    return stderr.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CniAnswer a
        && exitStatus == a.exitStatus
        && Arrays.equals(stdout, a.stdout)
        && Arrays.equals(stderr, a.stderr);
  }

  @Override
  public int hashCode() {
    return Objects.hash(exitStatus, Arrays.hashCode(stdout), Arrays.hashCode(stderr));
  }

  @Override
  public String toString() {
    return "CniAnswer[exit="
        + exitStatus
        + ", stdout="
        + stdout.length
        + " bytes, stderr="
        + stderr.length
        + " bytes]";
  }
}
