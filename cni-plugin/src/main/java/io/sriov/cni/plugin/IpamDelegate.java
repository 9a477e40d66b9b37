package io.sriov.cni.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import io.sriov.core.json.JsonTrees;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.IpPrefix;
import io.sriov.os.SyscallException;
import io.sriov.os.process.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the IPAM plugin a netconf names in {@code ipam.type}, as libcni's {@code invoke.Delegate*}
 * does: the executable of that name in the first {@code CNI_PATH} directory that has one, the same
 * {@code CNI_*} variables with {@code CNI_COMMAND} set to the command delegated, the same stdin.
 * Exit 0 is success (ADD's stdout parsed as a result of any supported version); otherwise its error
 * JSON on stdout is relayed with its own code, msg and details. A plugin that does not answer
 * within the timeout is killed (code 11, try again later).
 *
 * <p>The plugin starts as Go's libcni starts it: one {@code posix_spawn} (clone(CLONE_VM|
 * CLONE_VFORK) + execve, sriov-os's {@link ChildProcess}), with exactly the variables above and no
 * descriptor of this process but the three pipes; a script needs its {@code #!} line (ENOEXEC, as
 * in Go). Where libc is not bound it falls back to the JDK's ProcessBuilder.
 *
 * <p>Shell equivalent: {@code CNI_COMMAND=ADD CNI_CONTAINERID=... CNI_NETNS=... CNI_IFNAME=...
 * CNI_PATH=... $dir/host-local < netconf.json}.
 */
public final class IpamDelegate {
  /** libcni gives no timeout; a plugin call must still end. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Duration timeout;
  private final Optional<ChildProcess> spawn;

  public IpamDelegate(Duration timeout) {
    this(timeout, ChildProcess.available());
  }

  /**
   * @param spawn how plugins start: posix_spawn where libc is bound, else (empty) the JDK's
   *     ProcessBuilder, which execs its jspawnhelper first (one exec more per call)
   */
  IpamDelegate(Duration timeout, Optional<ChildProcess> spawn) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("IPAM timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    this.spawn = spawn;
  }

  public IpamDelegate() {
    this(DEFAULT_TIMEOUT);
  }

  /**
   * ADD: the addresses, routes and DNS the IPAM plugin allocated.
   *
   * @throws CniException code 7 for a result no interface can take: a gateway of another address
   *     family than its address or route destination (with {@code static} IPAM it comes from the
   *     netconf's {@code ipam} section; libcni's {@code ConfigureIface} fails on it with netlink's
   *     EINVAL); the allocation is released (DEL) before, as for a result that does not parse
   */
  public CniResult add(CniRequest request) {
    byte[] out = run(request, CniCommand.ADD);
    String what = "IPAM plugin " + type(request) + "'s result";
    try {
      return checkFamilies(ResultCodec.parse(out, what), what);
    } catch (CniException unusable) {
      try {
        del(request);
      } catch (RuntimeException e) {
        unusable.addSuppressed(e);
      }
      throw unusable;
    }
  }

  static CniResult checkFamilies(CniResult r, String what) {
    for (int i = 0; i < r.ips().size(); i++) {
      CniResult.IpConfig ip = r.ips().get(i);
      if (ip.gateway().isPresent()) {
        checkFamily(
            what + ": ips[" + i + "] " + ip.address().compact(),
            ip.address().isIpv4(),
            ip.gateway().get());
      }
    }
    for (int i = 0; i < r.routes().size(); i++) {
      CniResult.Route route = r.routes().get(i);
      if (route.gw().isPresent()) {
        checkFamily(
            what + ": routes[" + i + "] " + route.dst().compact(),
            route.dst().isIpv4(),
            route.gw().get());
      }
    }
    return r;
  }

  private static void checkFamily(String where, boolean ipv4, InetAddress gateway) {
    if ((gateway instanceof Inet4Address) != ipv4) {
      throw CniException.invalidConfig(
          where
              + ": gateway "
              + IpPrefix.format(gateway)
              + " is not an "
              + (ipv4 ? "IPv4" : "IPv6")
              + " address");
    }
  }

  /** DEL: releases the allocation (idempotent in every conforming IPAM plugin). */
  public void del(CniRequest request) {
    run(request, CniCommand.DEL);
  }

  /** CHECK. */
  public void check(CniRequest request) {
    run(request, CniCommand.CHECK);
  }

  /** GC: the spec's MUST, forwarding {@code cni.dev/valid-attachments} on stdin. */
  public void gc(CniRequest request) {
    run(request, CniCommand.GC);
  }

  /**
   * STATUS: a missing IPAM plugin is code 50 (plugin not available); the plugin's own answer is
   * relayed.
   */
  public void status(CniRequest request) {
    try {
      find(type(request), request.cniPath());
    } catch (CniException e) {
      throw new CniException(CniErrorCode.PLUGIN_NOT_AVAILABLE, e.msg(), e.details());
    }
    run(request, CniCommand.STATUS);
  }

  /**
   * The executable named {@code type} in the first directory of {@code cniPath} that has one.
   *
   * @throws CniException code 7 for a type that is not a plain file name, or none found
   */
  public static Path find(String type, List<Path> cniPath) {
    if (type.isEmpty()
        || type.equals(".")
        || type.equals("..")
        || type.contains("/")
        || type.indexOf('\0') >= 0) {
      throw CniException.invalidConfig(
          "ipam.type "
              + InvalidValueException.quote(type)
              + ": not a plugin name (a file name in"
              + " CNI_PATH, without /)");
    }
    for (Path dir : cniPath) {
      Path p = dir.resolve(type);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw CniException.invalidConfig(
        "failed to find plugin \""
            + type
            + "\" in path "
            + cniPath.stream().map(Path::toString).collect(Collectors.joining(" ", "[", "]")));
  }

  private static String type(CniRequest request) {
    return request
        .netConf()
        .ipamType()
        .orElseThrow(
            () ->
                CniException.invalidConfig(
                    request.netConf().ipam().isPresent()
                        ? "ipam.type: missing (the IPAM plugin to run)"
                        : "ipam: missing (this plugin needs an IPAM section to delegate to)"));
  }

  private byte[] run(CniRequest request, CniCommand command) {
    String type = type(request);
    Path exe = find(type, request.cniPath());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command.name());
    request.containerId().ifPresent(v -> env.put("CNI_CONTAINERID", v));
    request.netns().ifPresent(v -> env.put("CNI_NETNS", v.toString()));
    request.ifName().ifPresent(v -> env.put("CNI_IFNAME", v.value()));
    if (!request.args().raw().isEmpty()) {
      env.put("CNI_ARGS", request.args().raw());
    }
    env.put(
        "CNI_PATH",
        request.cniPath().stream().map(Path::toString).collect(Collectors.joining(":")));
    request.log().debug("delegating to IPAM", "plugin", exe, "command", command);
    Outcome o;
    try {
      o =
          spawn.isPresent()
              ? spawned(spawn.get(), exe, env, request.stdin())
              : started(exe, env, request.stdin());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(
          CniErrorCode.TRY_AGAIN_LATER, "interrupted while waiting for IPAM plugin " + type);
    }
    if (o.timedOut()) {
      throw new CniException(
          CniErrorCode.TRY_AGAIN_LATER,
          "IPAM plugin "
              + type
              + " did not answer "
              + command
              + " within "
              + (timeout.toMillis() % 1000 == 0
                  ? timeout.toSeconds() + " s"
                  : timeout.toMillis() + " ms")
              + " (killed)");
    }
    String err = new String(o.stderr(), StandardCharsets.UTF_8).strip();
    if (!err.isEmpty()) {
      request.log().debug("IPAM plugin stderr", "plugin", type, "stderr", err);
    }
    if (o.status() == 0) {
      return o.stdout();
    }
    throw relayed(type, command, o.status(), o.stdout(), err);
  }

  /** How a plugin run ended: its exit status (128 + signal), its output, or the timeout. */
  private record Outcome(int status, byte[] stdout, byte[] stderr, boolean timedOut) {}

  /** posix_spawn: one exec, no helper process (sriov-os's ChildProcess). */
  private Outcome spawned(ChildProcess spawn, Path exe, Map<String, String> env, byte[] stdin)
      throws InterruptedException {
    try {
      ChildProcess.Result r = spawn.run(exe, List.of(), env, stdin, timeout);
      return new Outcome(r.exitValue(), r.stdout(), r.stderr(), r.timedOut());
    } catch (SyscallException e) {
      throw new CniException(
          CniErrorCode.IO_FAILURE,
          "IPAM plugin " + exe + ": cannot start: " + e.errno().describe());
    }
  }

  /** The JDK's ProcessBuilder: where libc is not bound ({@link ChildProcess#unavailableReason}). */
  private Outcome started(Path exe, Map<String, String> env, byte[] stdin)
      throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(exe.toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CniException(
          CniErrorCode.IO_FAILURE, "IPAM plugin " + exe + ": cannot start: " + e.getMessage());
    }
    Drain stdout = new Drain(p.getInputStream());
    Drain stderr = new Drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // the plugin may exit without reading stdin; its exit status and output tell what happened
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        return new Outcome(p.exitValue(), stdout.bytes(), stderr.bytes(), true);
      }
      int status = p.exitValue();
      stdout.join();
      stderr.join();
      return new Outcome(status, stdout.bytes(), stderr.bytes(), false);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static CniException relayed(
      String type, CniCommand command, int status, byte[] out, String err) {
    try {
      JsonNode n = JsonTrees.read(out);
      if (n != null
          && n.path("code").canConvertToInt()
          && n.path("code").intValue() >= 1
          && n.path("msg").isTextual()) {
        return new CniException(
            new CniErrorCode(n.path("code").intValue()),
            n.path("msg").textValue(),
            n.path("details").isTextual() ? n.path("details").textValue() : "");
      }
    } catch (IOException e) {
      // not an error object: reported below with the exit status and stderr
    }
    return new CniException(
        CniErrorCode.INTERNAL,
        "IPAM plugin "
            + type
            + " "
            + command
            + " failed with exit status "
            + status
            + " and no CNI error on stdout",
        Optional.of(err).filter(s -> !s.isEmpty()).map(s -> "stderr: " + lastLine(s)).orElse(""));
  }

  private static String lastLine(String s) {
    int nl = s.lastIndexOf('\n');
    return nl < 0 ? s : s.substring(nl + 1);
  }

  /** Reads a child's stream to its end on a thread of its own, so neither pipe fills up. */
  private static final class Drain {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream in) {
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (in) {
                      in.transferTo(buf);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
    }

    void join() throws InterruptedException {
      thread.join();
    }

    byte[] bytes() {
      synchronized (buf) {
        return buf.toByteArray();
      }
    }
  }
}
