package io.sriov.cni.plugin;

import io.sriov.core.value.InterfaceName;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated CNI call: the {@code CNI_*} variables, the raw stdin, the shared netconf fields,
 * the negotiated version and the log. Plugins bind their own netconf fields from {@code
 * netConf().document()}.
 *
 * @param containerId present for ADD, DEL and CHECK
 * @param netns present for ADD and CHECK; for DEL when the runtime still has one
 * @param ifName present for ADD, DEL and CHECK
 * @param stdin the netconf bytes as received (what a delegated plugin is given)
 * @param version the netconf's version, which the result is written in
 */
public record CniRequest(
    CniCommand command,
    Optional<String> containerId,
    Optional<Path> netns,
    Optional<InterfaceName> ifName,
    CniArgs args,
    List<Path> cniPath,
    byte[] stdin,
    NetConf netConf,
    CniVersion version,
    CniLog log) {

  public CniRequest {
    Objects.requireNonNull(command, "command");
    cniPath = List.copyOf(cniPath);
    stdin = stdin.clone();
    Objects.requireNonNull(netConf, "netConf");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(log, "log");
  }

  /** The request of a validated environment and netconf. */
  public static CniRequest of(
      CniEnvironment env, byte[] stdin, NetConf netConf, CniVersion version, CniLog log) {
    return new CniRequest(
        env.command(),
        env.containerId(),
        env.netns(),
        env.ifName(),
        env.args(),
        env.cniPath(),
        stdin,
        netConf,
        version,
        log);
  }

  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  /** {@code CNI_CONTAINERID} of an ADD, DEL or CHECK (validated present by the environment). */
  public String container() {
    return containerId.orElseThrow(() -> absent("CNI_CONTAINERID"));
  }

  /** {@code CNI_IFNAME} of an ADD, DEL or CHECK (validated present by the environment). */
  public InterfaceName interfaceName() {
    return ifName.orElseThrow(() -> absent("CNI_IFNAME"));
  }

  private IllegalStateException absent(String var) {
    return new IllegalStateException(var + " is not part of a " + command + " request");
  }
}
