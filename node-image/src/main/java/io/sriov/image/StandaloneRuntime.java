package io.sriov.image;

import io.sriov.cni.plugin.StandaloneJvmFlags;
import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The standalone CNI plugins on the host, what the shim ({@code /opt/cni/bin/sriov}, {@code bond})
 * execs when the node daemon's CNI server is unreachable: {@code <name>-standalone} next to it.
 * They are Java programs, and a node has no Java runtime of its own, so the image's runtime comes
 * along:
 *
 * <ul>
 *   <li>the image's Java runtime ({@code /opt/java}), its loader and glibc ({@code
 *       /lib64/ld-linux-x86-64.so.2}, {@code /lib/x86_64-linux-gnu}) and the application ({@code
 *       /app}) are copied into {@code RUNTIME_DIR/<digest>} (the first 16 hex digits of a SHA-256
 *       over the files' paths, modes and contents): built as {@code <digest>.partial}, then renamed
 *       whole, so a runtime directory is complete or absent; the same image finds it there and
 *       copies nothing;
 *   <li>the launchers {@code sriov-standalone} and {@code bond-standalone} are written atomically
 *       into the CNI bin dir last: {@code #!/bin/sh} scripts that exec the runtime's {@code java}
 *       through the image's own loader with the image's glibc ({@code ld-linux-x86-64.so.2
 *       --library-path}), so the host's libc does not matter;
 *   <li>other entries of {@code RUNTIME_DIR} (an older image's runtime, a partial copy) are then
 *       removed.
 * </ul>
 */
final class StandaloneRuntime {
  /** The standalone plugins: launcher name to main class. */
  static final Map<String, String> PLUGINS =
      Map.of(
          "sriov-standalone", "io.sriov.cni.sriov.SriovCniMain",
          "bond-standalone", "io.sriov.bond.BondMain");

  /** The image paths the runtime is made of, relative to the image root. */
  static final List<String> PARTS =
      List.of("opt/java", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu", "app");

  private static final Set<PosixFilePermission> DIR_MODE = CniInstaller.EXECUTABLE;

  private StandaloneRuntime() {}

  /** What {@link #install} did. */
  record Result(String digest, int files, boolean copied, List<String> removed) {}

  /**
   * Installs the runtime of {@code imageRoot} into {@code runtimeDir} (which the host sees as
   * {@code hostRuntimeDir}) and the launchers into {@code cniBin}.
   *
   * @throws IllegalArgumentException when a directory or a part of the image is missing
   */
  static Result install(Path imageRoot, Path runtimeDir, Path hostRuntimeDir, Path cniBin)
      throws IOException {
    if (!hostRuntimeDir.isAbsolute()) {
      throw new IllegalArgumentException(
          "host runtime directory " + hostRuntimeDir + " is not an absolute path");
    }
    if (!Files.isDirectory(cniBin)) {
      throw new IllegalArgumentException("target directory " + cniBin + " does not exist");
    }
    if (!Files.isDirectory(runtimeDir)) {
      throw new IllegalArgumentException("runtime directory " + runtimeDir + " does not exist");
    }
    List<Path> files = files(imageRoot);
    String digest = digest(imageRoot, files);
    Path dest = runtimeDir.resolve(digest);
    boolean copied = !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS);
    if (copied) {
      Path partial = runtimeDir.resolve(digest + ".partial");
      deleteTree(partial);
      for (Path rel : files) {
        Path to = partial.resolve(rel.toString());
        Files.createDirectories(to.getParent());
        Path from = imageRoot.resolve(rel);
        AtomicFiles.copy(from, to, Files.getPosixFilePermissions(from));
        Files.setLastModifiedTime(to, Files.getLastModifiedTime(from));
      }
      setDirModes(partial);
      Files.move(partial, dest, StandardCopyOption.ATOMIC_MOVE);
    }
    Path hostDest = hostRuntimeDir.resolve(digest);
    // The runtime copied above is the one running this installer: its feature version gates flags.
    List<String> jvmFlags = StandaloneJvmFlags.forFeature(Runtime.version().feature());
    for (var plugin : PLUGINS.entrySet()) {
      byte[] script = launcher(plugin.getKey(), plugin.getValue(), hostDest, jvmFlags);
      Path launcher = cniBin.resolve(plugin.getKey());
      boolean same =
          Files.isRegularFile(launcher, LinkOption.NOFOLLOW_LINKS)
              && Files.getPosixFilePermissions(launcher, LinkOption.NOFOLLOW_LINKS)
                  .equals(CniInstaller.EXECUTABLE)
              && java.util.Arrays.equals(Files.readAllBytes(launcher), script);
      if (!same) {
        AtomicFiles.write(launcher, script, CniInstaller.EXECUTABLE);
      }
    }
    List<String> removed = new ArrayList<>();
    try (Stream<Path> entries = Files.list(runtimeDir)) {
      for (Path p : entries.sorted().toList()) {
        if (!p.getFileName().toString().equals(digest)) {
          deleteTree(p);
          removed.add(p.getFileName().toString());
        }
      }
    }
    return new Result(digest, files.size(), copied, removed);
  }

  /**
   * The launcher script of one standalone plugin, running the runtime at {@code runtime} with the
   * standalone plugins' JVM flags ({@link StandaloneJvmFlags}, the list {@code bin/cni/sriov} uses
   * too) and the image's own: {@code -Xshare:auto} (the runtime's default class-data archive) and
   * {@code FORK}.
   */
  static byte[] launcher(String name, String mainClass, Path runtime, List<String> jvmFlags) {
    if (runtime.toString().contains("'")) {
      throw new IllegalArgumentException("host runtime directory " + runtime + " contains a quote");
    }
    String plugin = name.substring(0, name.length() - "-standalone".length());
    String text =
        """
        #!/bin/sh
        # The standalone %1$s CNI plugin of sriov-node, written by its install-cni step: the shim
        # (%1$s next to this file) runs it when the node daemon's CNI server is unreachable.
        # It runs the image's Java runtime, copied to the directory below, with the image's own
        # loader and glibc (the host's libc does not matter); FORK: no jspawnhelper is exec'd by
        # the host's loader when the plugin runs an IPAM plugin.
        r='%2$s'
        exec "$r/lib64/ld-linux-x86-64.so.2" --library-path "$r/lib/x86_64-linux-gnu" \\
          "$r/opt/java/bin/java" %4$s \\
          -Xshare:auto -Djdk.lang.Process.launchMechanism=FORK \\
          -cp "$r/app/resources:$r/app/classes:$r/app/libs/*" %3$s "$@"
        """
            .formatted(plugin, runtime, mainClass, shellWords(jvmFlags));
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The flags, four to a line, in single quotes for the shell. */
  private static String shellWords(List<String> flags) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < flags.size(); i++) {
      String f = flags.get(i);
      if (f.contains("'")) {
        throw new IllegalArgumentException("JVM flag " + f + " contains a quote");
      }
      b.append(i == 0 ? "" : i % 4 == 0 ? " \\\n  " : " ").append('\'').append(f).append('\'');
    }
    return b.toString();
  }

  /** The regular files of the runtime's parts, relative to {@code imageRoot}, sorted. */
  static List<Path> files(Path imageRoot) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String part : PARTS) {
      Path p = imageRoot.resolve(part);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException("the image has no " + p);
      }
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
            .map(imageRoot::relativize)
            .forEach(out::add);
      }
    }
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }

  /** SHA-256 over each file's path, mode and content; the first 16 hex digits. */
  static String digest(Path imageRoot, List<Path> files) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    for (Path rel : files) {
      Path f = imageRoot.resolve(rel);
      sha.update(
          (rel
                  + "\0"
                  + java.nio.file.attribute.PosixFilePermissions.toString(
                      Files.getPosixFilePermissions(f))
                  + "\0")
              .getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  private static void setDirModes(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path d : walk.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(d, DIR_MODE);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.delete(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
