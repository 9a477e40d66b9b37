package io.sriov.cni.plugin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.json.GoJsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * One CNI call from start to exit status, as libcni's {@code skel} runs it: validate the {@code
 * CNI_*} variables, answer VERSION, parse the netconf, negotiate its version and whether the
 * command exists in it, call the plugin, then write the result (ADD) or the error object to stdout
 * and return 0 or 1. Nothing else reaches stdout: logs go to stderr or the netconf's {@code
 * logFile}, and an unexpected exception becomes code 999 with its message, its stack trace going to
 * the log. Reads no process state, so the daemon's CNI server runs the same code in-process.
 *
 * <p>The error object is {@code {"cniVersion": ..., "code": N, "msg": ..., "details": ...}}, four
 * spaces indented as libcni prints it; {@code details} only when there are some; {@code cniVersion}
 * is the netconf's when it is one this project speaks, otherwise the newest.
 */
public final class CniRunner {
  private final Clock clock;

  public CniRunner(Clock clock) {
    this.clock = clock;
  }

  public CniRunner() {
    this(Clock.systemUTC());
  }

  /** Runs one call with the system clock; see {@link #call}. */
  public static int run(
      CniPlugin plugin,
      Map<String, String> env,
      byte[] stdin,
      OutputStream stdout,
      OutputStream stderr) {
    return new CniRunner().call(plugin, env, stdin, stdout, stderr);
  }

  /**
   * @return the exit status: 0 on success, 1 after an error object was written
   */
  public int call(
      CniPlugin plugin,
      Map<String, String> env,
      byte[] stdin,
      OutputStream stdout,
      OutputStream stderr) {
    CniLog log = CniLog.toStderr(stderr, clock);
    Optional<CniVersion> version = Optional.empty();
    try {
      CniEnvironment environment = CniEnvironment.parse(env);
      if (environment.command() == CniCommand.VERSION) {
        return write(stdout, CniVersions.versionOutput(), log) ? 0 : 1;
      }
      NetConf netConf = NetConf.parse(stdin);
      version = netConf.cniVersion().flatMap(CniVersion::of);
      CniVersion negotiated = CniVersions.negotiate(netConf.cniVersion());
      CniVersions.requireAllowed(environment.command(), negotiated);
      log = CniLog.open(netConf.logFile(), netConf.logLevel(), stderr, clock);
      CniRequest request = CniRequest.of(environment, stdin, netConf, negotiated, log);
      log.debug(
          "call",
          "command",
          request.command(),
          "containerId",
          request.containerId().orElse(""),
          "ifName",
          request.ifName().map(Object::toString).orElse(""),
          "netns",
          request.netns().map(Object::toString).orElse(""));
      switch (request.command()) {
        case ADD -> {
          CniResult result = plugin.add(request);
          return write(stdout, ResultCodec.write(result, negotiated), log) ? 0 : 1;
        }
        case DEL -> plugin.del(request);
        case CHECK -> plugin.check(request);
        case GC -> plugin.gc(request);
        case STATUS -> plugin.status(request);
        case VERSION -> throw new AssertionError("answered above");
      }
      return 0;
    } catch (CniException e) {
      String command = env.getOrDefault("CNI_COMMAND", "");
      if (e.details().isEmpty()) {
        log.error("failed", "command", command, "code", e.code(), "msg", e.msg());
      } else {
        log.error(
            "failed", "command", command, "code", e.code(), "msg", e.msg(), "details", e.details());
      }
      writeError(stdout, e, version, log);
      return 1;
    } catch (RuntimeException | Error e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      log.error("unexpected failure", "error", e, "trace", trace);
      CniException internal =
          new CniException(
              CniErrorCode.INTERNAL,
              "internal error: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      writeError(stdout, internal, version, log);
      return 1;
    } finally {
      log.close();
    }
  }

  /** The error object as the runtime reads it on stdout. */
  public static byte[] errorJson(CniException e, CniVersion version) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("cniVersion", version.text());
    o.put("code", e.code().code());
    o.put("msg", e.msg());
    if (!e.details().isEmpty()) {
      o.put("details", e.details());
    }
    return GoJsonWriter.marshalIndent(o, "    ").getBytes(StandardCharsets.UTF_8);
  }

  private static void writeError(
      OutputStream stdout, CniException e, Optional<CniVersion> version, CniLog log) {
    write(stdout, errorJson(e, version.orElse(CniVersion.LATEST)), log);
  }

  private static boolean write(OutputStream stdout, byte[] bytes, CniLog log) {
    try {
      stdout.write(bytes);
      stdout.flush();
      return true;
    } catch (IOException e) {
      log.error("cannot write to stdout", "error", e);
      return false;
    }
  }
}
