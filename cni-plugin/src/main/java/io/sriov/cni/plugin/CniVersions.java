package io.sriov.cni.plugin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Version negotiation as libcni's {@code skel} does it: the netconf's {@code cniVersion} must be
 * one of the supported versions exactly (code 1 {@code incompatible CNI versions} otherwise, with
 * libcni's details text); CHECK needs 0.4.0 or later, GC and STATUS 1.1.0 or later (code 1 {@code
 * config version does not allow CHECK|GC|STATUS}); VERSION prints the supported list.
 */
public final class CniVersions {
  /** What a netconf without {@code cniVersion} means (libcni's {@code ConfigDecoder}). */
  public static final String UNSET_VERSION = "0.1.0";

  private static final List<CniVersion> SUPPORTED = List.of(CniVersion.values());

  private CniVersions() {}

  /** 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0. */
  public static List<CniVersion> supported() {
    return SUPPORTED;
  }

  /**
   * The netconf's version, when this plugin speaks it.
   *
   * @param configVersion the netconf's {@code cniVersion}; empty when it has none
   * @throws CniException code 1 naming the version and the supported ones
   */
  public static CniVersion negotiate(Optional<String> configVersion) {
    String text = configVersion.filter(s -> !s.isEmpty()).orElse(UNSET_VERSION);
    return CniVersion.of(text)
        .orElseThrow(
            () ->
                new CniException(
                    CniErrorCode.INCOMPATIBLE_CNI_VERSION,
                    "incompatible CNI versions",
                    "config is " + goQuote(text) + ", plugin supports " + goQuotedList()));
  }

  /**
   * Fails when {@code command} does not exist in {@code version}: CHECK before 0.4.0, GC and STATUS
   * before 1.1.0.
   *
   * @throws CniException code 1 {@code config version does not allow <COMMAND>}
   */
  public static void requireAllowed(CniCommand command, CniVersion version) {
    CniVersion first =
        switch (command) {
          case CHECK -> CniVersion.V0_4_0;
          case GC, STATUS -> CniVersion.V1_1_0;
          default -> CniVersion.V0_3_0;
        };
    if (!version.atLeast(first)) {
      throw new CniException(
          CniErrorCode.INCOMPATIBLE_CNI_VERSION, "config version does not allow " + command);
    }
  }

  /**
   * VERSION's answer, byte for byte as libcni's {@code pluginInfo.Encode} writes it (compact JSON
   * and a newline): {@code {"cniVersion":"1.1.0","supportedVersions":["0.3.0",...,"1.1.0"]}}.
   */
  public static byte[] versionOutput() {
    String list =
        SUPPORTED.stream().map(v -> "\"" + v.text() + "\"").collect(Collectors.joining(","));
    return ("{\"cniVersion\":\""
            + CniVersion.LATEST.text()
            + "\",\"supportedVersions\":["
            + list
            + "]}\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Go's {@code %q} of a string slice: {@code ["0.3.0" "0.3.1"]}. */
  private static String goQuotedList() {
    return Arrays.stream(CniVersion.values())
        .map(v -> goQuote(v.text()))
        .collect(Collectors.joining(" ", "[", "]"));
  }

  private static String goQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
