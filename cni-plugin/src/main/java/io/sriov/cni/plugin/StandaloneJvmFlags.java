package io.sriov.cni.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags of the standalone CNI plugins, from the checked-in list {@code
 * standalone-jvm.flags} next to this class: the one home that {@code bin/cni/sriov} and
 * node-image's host launchers both read, so a plugin starts the same way from a checkout and from
 * the image.
 *
 * <p>Format: one flag per line; blank lines and lines starting with {@code #} are skipped; {@code
 * NN+ flag} applies only to a JDK whose feature version is at least NN.
 */
public final class StandaloneJvmFlags {
  /** The list's resource name, relative to this class. */
  public static final String RESOURCE = "standalone-jvm.flags";

  private StandaloneJvmFlags() {}

  /** The checked-in flags for a JDK of {@code feature} (e.g. 25). */
  public static List<String> forFeature(int feature) {
    try (InputStream in = StandaloneJvmFlags.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), feature);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * The flags of {@code text} that apply to feature version {@code feature}.
   *
   * <p>bin/lib/jvm-flags.sh reads the same format (config-daemon-app's {@code
   * JvmFlagsReadersAgreeTest} feeds both the same lists).
   *
   * @throws IllegalArgumentException a line that is not a flag, naming its number and text
   */
  public static List<String> parse(String text, int feature) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+");
      String flag = words[words.length - 1];
      boolean gated = words.length == 2 && words[0].matches("[0-9]{1,3}\\+");
      if ((words.length != 1 && !gated) || !flag.startsWith("-") || flag.contains("'")) {
        throw new IllegalArgumentException(
            RESOURCE + " line " + (i + 1) + ": expected a flag or 'NN+ flag', got: " + line);
      }
      if (!gated || feature >= Integer.parseInt(words[0].substring(0, words[0].length() - 1))) {
        out.add(flag);
      }
    }
    return List.copyOf(out);
  }
}
