package io.sriov.e2e.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Where a guest-side scenario records what it saw: one file per value under its folder, and for
 * each shell command NAME.out, NAME.err and NAME.rc, the same layout as the kernel scenario script,
 * so host-side tests read both alike.
 */
public final class Evidence {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** The shell's view of every PCI function's driver link: {@code <address> <driver or empty>}. */
  public static final List<String> DRIVER_LINKS =
      List.of(
          "sh",
          "-c",
          "for d in /sys/bus/pci/devices/*; do"
              + " echo \"$(basename $d) $(basename \"$(readlink $d/driver)\" 2>/dev/null)\"; done");

  /** Result of one shell command run by {@link #command}. */
  public record CommandResult(int exitCode, String stdout, String stderr) {}

  private final Path dir;

  public Evidence(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("create " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Records one value as a file named {@code name}. */
  public void value(String name, String text) {
    write(name, text.endsWith("\n") ? text : text + "\n");
  }

  /** Records values one per line. */
  public void lines(String name, Collection<?> values) {
    StringBuilder out = new StringBuilder();
    values.forEach(v -> out.append(v).append('\n'));
    write(name, out.toString());
  }

  /** Runs a shell command (bounded to 60 s), records its output under {@code name}, returns it. */
  public CommandResult command(String name, List<String> command) {
    Path outFile = dir.resolve(checked(name) + ".out");
    Path errFile = dir.resolve(name + ".err");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(outFile.toFile())
              .redirectError(errFile.toFile())
              .start();
      int rc;
      if (p.waitFor(60, TimeUnit.SECONDS)) {
        rc = p.exitValue();
      } else {
        p.destroyForcibly().waitFor();
        rc = 124;
      }
      write(name + ".rc", rc + "\n");
      return new CommandResult(
          rc,
          Files.readString(outFile, StandardCharsets.UTF_8),
          Files.readString(errFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  private void write(String name, String text) {
    Path file = dir.resolve(checked(name));
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("write " + file, e);
    }
  }

  private static String checked(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid evidence name '" + name + "'");
    }
    return name;
  }
}
