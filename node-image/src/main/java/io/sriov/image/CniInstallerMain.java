package io.sriov.image;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The image's CNI install step (the chart's init container): {@code CniInstallerMain SOURCE_DIR
 * TARGET_DIR}. The image has no shell, so this replaces the {@code cp} of upstream's installers.
 * Exit codes: 0 installed (or nothing to install), 1 a directory is missing or a copy failed, 2 bad
 * arguments.
 */
public final class CniInstallerMain {
  private CniInstallerMain() {}

  public static void main(String[] args) {
    int code = run(List.of(args), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() != 2) {
      err.println("install-cni: usage: CniInstallerMain SOURCE_DIR TARGET_DIR");
      return 2;
    }
    Path source = Path.of(args.get(0));
    Path target = Path.of(args.get(1));
    try {
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
