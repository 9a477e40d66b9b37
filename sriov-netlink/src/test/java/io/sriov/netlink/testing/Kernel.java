package io.sriov.netlink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.testing.Prerequisites;
import io.sriov.netlink.socket.NetlinkSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers for real-kernel tests: the root gate and the {@code ip} command as the referee. */
public final class Kernel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Kernel() {}

  /** Skips (fails under CI) unless root with working netlink. */
  public static void require() {
    String why =
        NetlinkSocket.unavailableReason()
            .orElse(Prerequisites.isRoot() ? "" : "not running as root");
    Prerequisites.require(
        why.isEmpty(), "root and the real kernel's netlink and network namespaces", why);
  }

  /** Runs a command, returns stdout; fails the test when it exits non-zero. */
  public static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        throw new AssertionError(String.join(" ", cmd) + " exited " + rc + ": " + err + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code ip -n NS -j ARGS...} parsed. */
  public static JsonNode ip(String ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns, "-j"));
    cmd.addAll(List.of(args));
    try {
      String out = run(cmd.toArray(String[]::new)).strip();
      return JSON.readTree(out.isEmpty() ? "[]" : out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code ip -n NS -j link show dev NAME}, the single object. */
  public static JsonNode link(String ns, String name) {
    return ip(ns, "-d", "link", "show", "dev", name).get(0);
  }
}
