package io.sriov.image;

import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The image's CNI install step (the chart's init container). The image has no shell, so this
 * replaces the {@code cp} of upstream's installers:
 *
 * <pre>
 * CniInstallerMain SOURCE_DIR TARGET_DIR [RUNTIME_DIR HOST_RUNTIME_DIR [SOCKET]]
 * </pre>
 *
 * copies the image's CNI executables ({@code SOURCE_DIR}: the shim as {@code sriov} and {@code
 * bond}) into the host's CNI bin dir ({@code TARGET_DIR}); with a runtime dir, first the standalone
 * plugins the shim falls back to ({@link StandaloneRuntime}: the image's runtime into {@code
 * RUNTIME_DIR}, which the host sees as {@code HOST_RUNTIME_DIR}, and the launchers {@code
 * sriov-standalone}, {@code bond-standalone} into {@code TARGET_DIR}), so an installed shim always
 * finds its fallback; with a socket, the shim's configuration {@code sriov-cni-shim.conf} in {@code
 * TARGET_DIR} naming the daemon's CNI socket (the chart's, which may differ from the shim's
 * built-in default). Exit codes: 0 installed (or nothing to install), 1 a directory is missing or a
 * copy failed, 2 bad arguments.
 */
public final class CniInstallerMain {
  static final String USAGE =
      "install-cni: usage: CniInstallerMain SOURCE_DIR TARGET_DIR [RUNTIME_DIR HOST_RUNTIME_DIR"
          + " [SOCKET]]";

  /** The shim's configuration file, read from the directory it is called from. */
  static final String SHIM_CONF = "sriov-cni-shim.conf";

  private CniInstallerMain() {}

  public static void main(String[] args) {
    // The image's root: java.home is /opt/java in it.
    Path imageRoot = Path.of(System.getProperty("java.home")).getParent().getParent();
    int code = run(List.of(args), imageRoot, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(List<String> args, Path imageRoot, PrintStream out, PrintStream err) {
    if (args.size() < 2 || args.size() == 3 || args.size() > 5) {
      err.println(USAGE);
      return 2;
    }
    Path source = Path.of(args.get(0));
    Path target = Path.of(args.get(1));
    try {
      if (args.size() >= 4) {
        Path runtime = Path.of(args.get(2));
        StandaloneRuntime.Result r =
            StandaloneRuntime.install(imageRoot, runtime, Path.of(args.get(3)), target);
        out.println(
            "install-cni: "
                + (r.copied() ? "installed" : "unchanged")
                + " the standalone plugins' runtime "
                + r.digest()
                + " ("
                + r.files()
                + " files) in "
                + runtime
                + (r.removed().isEmpty() ? "" : ", removed " + String.join(", ", r.removed())));
        out.println(
            "install-cni: standalone plugins "
                + String.join(", ", StandaloneRuntime.PLUGINS.keySet().stream().sorted().toList())
                + " in "
                + target);
      }
      if (args.size() == 5) {
        String socket = args.get(4);
        if (!socket.startsWith("/") || socket.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          throw new IllegalArgumentException(
              "the CNI socket must be an absolute path without control characters, got \""
                  + socket.replaceAll("\\p{Cntrl}", "?")
                  + "\"");
        }
        AtomicFiles.write(
            target.resolve(SHIM_CONF),
            ("# Written by sriov-node's install-cni: the node daemon's CNI server.\nsocket="
                    + socket
                    + "\n")
                .getBytes(StandardCharsets.UTF_8),
            AtomicFiles.WORLD_READABLE);
        out.println("install-cni: " + SHIM_CONF + " in " + target + ": socket=" + socket);
      }
      List<CniInstaller.Installed> installed = CniInstaller.install(source, target);
      if (installed.isEmpty()) {
        out.println("install-cni: no CNI executables in " + source + ": nothing to install");
      }
      for (CniInstaller.Installed i : installed) {
        out.println("install-cni: " + i + " in " + target);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("install-cni: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("install-cni: copying " + source + " to " + target + " failed: " + e);
      return 1;
    }
  }
}
