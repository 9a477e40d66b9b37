package io.sriov.e2e.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One command to run as root in a fresh SR-IOV guest: what {@code e2e/vm/run-in-guest.sh} takes.
 *
 * @param command the command and its arguments, run in {@code workingDir} (a host path, visible in
 *     the guest through the shared host root)
 * @param outDir host folder shared writable with the guest ({@code $SRIOV_E2E_OUT} there)
 * @param workingDir host folder the command starts in
 * @param pfs number of emulated igb PFs, 0..6
 * @param kvm KVM instead of TCG
 * @param timeout the guest is powered off after this long
 * @param env environment variables for the command
 */
public record GuestRequest(
    List<String> command,
    Path outDir,
    Path workingDir,
    int pfs,
    boolean kvm,
    Duration timeout,
    Map<String, String> env) {

  /** Most PFs the harness places: igb VFs of more PFs would collide with q35's own devices. */
  public static final int MAX_PFS = 6;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public GuestRequest {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("guest command is empty");
    }
    if (pfs < 0 || pfs > MAX_PFS) {
      throw new IllegalArgumentException("pfs must be 0.." + MAX_PFS + ", got " + pfs);
    }
    if (timeout.isNegative() || timeout.toSeconds() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 s, got " + timeout);
    }
    for (String name : env.keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid environment variable name '" + name + "'");
      }
    }
  }

  /** A request with the defaults: 2 PFs, TCG, 10 minutes, no extra environment. */
  public static GuestRequest of(Path outDir, Path workingDir, List<String> command) {
    return new GuestRequest(
        command, outDir, workingDir, 2, false, Duration.ofMinutes(10), Map.of());
  }

  public GuestRequest withPfs(int count) {
    return new GuestRequest(command, outDir, workingDir, count, kvm, timeout, env);
  }

  public GuestRequest withKvm(boolean useKvm) {
    return new GuestRequest(command, outDir, workingDir, pfs, useKvm, timeout, env);
  }

  public GuestRequest withTimeout(Duration limit) {
    return new GuestRequest(command, outDir, workingDir, pfs, kvm, limit, env);
  }

  public GuestRequest withEnv(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(name, value);
    return new GuestRequest(command, outDir, workingDir, pfs, kvm, timeout, more);
  }
}
