package io.sriov.cni.server.wire;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One CNI invocation as the shim forwards it: the plugin it was called as, its {@code CNI_*}
 * environment and its stdin bytes.
 *
 * @param plugin the shim's program name ({@code sriov}, {@code bond})
 * @param env the forwarded environment, in name order
 * @param stdin the netconf bytes, unchanged
 */
public record CniCall(String plugin, Map<String, String> env, byte[] stdin) {
  public CniCall {
    Objects.requireNonNull(plugin, "plugin");
    env = Collections.unmodifiableMap(new TreeMap<>(env));
    stdin = stdin.clone();
  }

  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CniCall c
        && plugin.equals(c.plugin)
        && env.equals(c.env)
        && Arrays.equals(stdin, c.stdin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(plugin, env, Arrays.hashCode(stdin));
  }

  @Override
  public String toString() {
    return "CniCall[plugin=" + plugin + ", env=" + env + ", stdin=" + stdin.length + " bytes]";
  }
}
