package io.sriov.cni.plugin;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code CNI_*} variables of one call, validated before any of them reaches a path or a
 * syscall. Which variables each command needs is libcni {@code skel}'s table: ADD and CHECK need
 * {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME} and {@code CNI_PATH}; DEL the same
 * without {@code CNI_NETNS} (containerd sends it empty after the netns is gone); GC and STATUS only
 * {@code CNI_PATH}; VERSION nothing. All errors are code 4 and name the variable.
 *
 * @param containerId present for ADD, DEL and CHECK (and for GC/STATUS when given)
 * @param netns absolute; present for ADD and CHECK, maybe for DEL
 * @param ifName by the kernel's rules; present for ADD, DEL and CHECK
 * @param args {@code CNI_ARGS}
 * @param cniPath {@code CNI_PATH}'s non-empty entries, in order
 */
public record CniEnvironment(
    CniCommand command,
    Optional<String> containerId,
    Optional<Path> netns,
    Optional<InterfaceName> ifName,
    CniArgs args,
    List<Path> cniPath) {

  /** libcni's {@code cniReg}, for container ids and network names. */
  static final Pattern ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

  public CniEnvironment {
    Objects.requireNonNull(command, "command");
    cniPath = List.copyOf(cniPath);
  }

  /**
   * Validates the variables in {@code env} (the process environment, or what the daemon's CNI
   * server received).
   *
   * @throws CniException code 4: {@code required env variables [CNI_NETNS,CNI_PATH] missing}
   *     (libcni's text), {@code unknown CNI_COMMAND: FOO}, or one variable's problem with its value
   */
  public static CniEnvironment parse(Map<String, String> env) {
    String cmdText = env.getOrDefault("CNI_COMMAND", "");
    Optional<CniCommand> cmd = CniCommand.of(cmdText);
    boolean perAttachment = cmd.map(CniCommand::perAttachment).orElse(false);
    boolean needsPath = cmd.map(c -> c != CniCommand.VERSION).orElse(false);
    List<String> missing = new ArrayList<>();
    if (cmdText.isEmpty()) {
      missing.add("CNI_COMMAND");
    }
    requireSet(env, "CNI_CONTAINERID", perAttachment, missing);
    requireSet(
        env,
        "CNI_NETNS",
        cmd.filter(c -> c == CniCommand.ADD || c == CniCommand.CHECK).isPresent(),
        missing);
    requireSet(env, "CNI_IFNAME", perAttachment, missing);
    requireSet(env, "CNI_PATH", needsPath, missing);
    if (!missing.isEmpty()) {
      throw CniException.invalidEnv(
          "required env variables [" + String.join(",", missing) + "] missing");
    }
    CniCommand command =
        cmd.orElseThrow(() -> CniException.invalidEnv("unknown CNI_COMMAND: " + cmdText));
    if (command == CniCommand.VERSION) {
      return new CniEnvironment(
          command, Optional.empty(), Optional.empty(), Optional.empty(), CniArgs.NONE, List.of());
    }
    return new CniEnvironment(
        command,
        value(env, "CNI_CONTAINERID").map(CniEnvironment::containerId),
        value(env, "CNI_NETNS").map(CniEnvironment::netns),
        value(env, "CNI_IFNAME").map(CniEnvironment::ifName),
        CniArgs.parse(env.getOrDefault("CNI_ARGS", "")),
        cniPath(env.getOrDefault("CNI_PATH", "")));
  }

  /**
   * A container id by libcni's rule: ASCII letters and digits, {@code _ . -}, starting with a
   * letter or digit.
   */
  static String containerId(String s) {
    if (!ID.matcher(s).matches()) {
      throw CniException.invalidEnv(
          "CNI_CONTAINERID "
              + InvalidValueException.quote(s)
              + ": invalid characters (allowed: letters, digits, _ . -, starting with a letter or"
              + " digit)");
    }
    return s;
  }

  private static Path netns(String s) {
    Path p;
    try {
      p = Path.of(s);
    } catch (InvalidPathException e) {
      throw CniException.invalidEnv(
          "CNI_NETNS " + InvalidValueException.quote(s) + ": not a valid path");
    }
    if (!p.isAbsolute()) {
      throw CniException.invalidEnv(
          "CNI_NETNS " + InvalidValueException.quote(s) + ": not an absolute path");
    }
    return p.normalize();
  }

  private static InterfaceName ifName(String s) {
    try {
      return InterfaceName.of(s);
    } catch (InvalidValueException e) {
      throw CniException.invalidEnv("CNI_IFNAME: " + e.getMessage());
    }
  }

  private static List<Path> cniPath(String s) {
    List<Path> out = new ArrayList<>();
    for (String dir : s.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        out.add(Path.of(dir));
      } catch (InvalidPathException e) {
        throw CniException.invalidEnv(
            "CNI_PATH: entry " + InvalidValueException.quote(dir) + " is not a valid path");
      }
    }
    return out;
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
  }

  private static void requireSet(
      Map<String, String> env, String name, boolean required, List<String> missing) {
    if (required && value(env, name).isEmpty()) {
      missing.add(name);
    }
  }
}
