package io.sriov.cni.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shim this module's build made ({@code target/sriov-cni-shim}), installed in a test folder
 * under a plugin name with a configuration file next to it, as on a node's {@code /opt/cni/bin}.
 */
public final class Shim {
  /** What the build writes. */
  public static final Path BUILT = Path.of("target/sriov-cni-shim").toAbsolutePath();

  private final Path dir;
  private final Path program;

  private Shim(Path dir, Path program) {
    this.dir = dir;
    this.program = program;
  }

  /** Copies the built shim to {@code dir/name}. */
  public static Shim install(Path dir, String name) {
    if (!Files.isExecutable(BUILT)) {
      throw new IllegalStateException(BUILT + " missing: the module's compile phase builds it");
    }
    try {
      Files.createDirectories(dir);
      Path program = dir.resolve(name);
      Files.copy(BUILT, program, StandardCopyOption.REPLACE_EXISTING);
      return new Shim(dir, program);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path program() {
    return program;
  }

  public Path dir() {
    return dir;
  }

  /** Writes {@code sriov-cni-shim.conf} next to the shim. */
  public Shim config(String text) {
    try {
      Files.writeString(dir.resolve("sriov-cni-shim.conf"), text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes an executable shell script next to the shim (a standalone plugin stand-in). */
  public Path script(String name, String body) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, "#!/bin/sh\n" + body);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One run's output. */
  public record Run(int exit, byte[] stdout, byte[] stderr, long millis) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
      return new String(stderr, StandardCharsets.UTF_8);
    }
  }

  /** Runs the shim with exactly {@code env} and {@code stdin}. */
  public Run run(Map<String, String> env, byte[] stdin) {
    return run(List.of(), env, stdin);
  }

  /** Runs {@code prefix} + the shim (e.g. {@code setpriv --reuid=65534 --}). */
  public Run run(List<String> prefix, Map<String, String> env, byte[] stdin) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(program.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      long start = System.nanoTime();
      Process p = pb.start();
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // the shim stopped reading (a limit): its answer says why
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the shim did not finish within 60 s");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Run(p.exitValue(), out.join(), err.join(), millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The usual ADD environment, plus anything in {@code extra}. */
  public static Map<String, String> env(String command, String... extra) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "c0ffee");
    env.put("CNI_NETNS", "/var/run/netns/pod");
    env.put("CNI_IFNAME", "net1");
    env.put("CNI_PATH", "/opt/cni/bin");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  /** On a thread of its own: the common pool has one thread on a 2-core machine. */
  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> bytes = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                bytes.complete(in.readAllBytes());
              } catch (IOException e) {
                bytes.completeExceptionally(e);
              }
            },
            "shim-output");
    t.setDaemon(true);
    t.start();
    return bytes;
  }
}
