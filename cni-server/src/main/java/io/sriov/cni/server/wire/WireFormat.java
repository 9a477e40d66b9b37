package io.sriov.cni.server.wire;

import java.util.regex.Pattern;

/**
 * The constants of the CNI wire protocol, version 1, between the shim ({@code src/main/c/
 * cni-shim.c}) and the CNI server: frame layout, kinds and size limits. The C side has the same
 * values in {@code src/main/c/cni_wire.h}; {@code WireFormatTest} checks that they agree. The
 * protocol is specified in the module README.
 *
 * <pre>
 * header (12 bytes)  magic "SCNI" | u8 version | u8 kind | u16 reserved = 0 | u32 body length
 * request body       u8 name length, name | u16 env count, (u32 length, "NAME=VALUE")* |
 *                    u32 stdin length, stdin
 * accepted body      empty
 * answer body        u8 exit status | u32 stdout length, stdout | u32 stderr length, stderr
 * </pre>
 *
 * All integers unsigned big-endian.
 */
public final class WireFormat {
  private WireFormat() {}

  /** The first four bytes of every frame. */
  public static final String MAGIC = "SCNI";

  /** The protocol version this side speaks. */
  public static final int VERSION = 1;

  public static final int HEADER_SIZE = 12;

  /** Longest plugin name ({@code sriov}, {@code bond}). */
  public static final int MAX_NAME = 32;

  private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /**
   * Whether {@code name} has a plugin name's characters (the shim's program name: lower-case
   * letters, digits, {@code -} and {@code _}, starting with a letter or digit); the length is
   * checked against {@link #MAX_NAME} separately.
   */
  public static boolean isPluginName(String name) {
    return PLUGIN_NAME.matcher(name).matches();
  }

  public static final int MAX_ENV_ENTRIES = 64;

  /** Longest {@code NAME=VALUE} entry, in bytes. */
  public static final int MAX_ENV_ENTRY = 16384;

  public static final int MAX_STDIN = 4 * 1024 * 1024;

  /** Bound on a request body, checked before any field. */
  public static final int MAX_REQUEST_BODY = 6 * 1024 * 1024;

  public static final int MAX_STDOUT = 4 * 1024 * 1024;

  public static final int MAX_STDERR = 1024 * 1024;

  /** The largest answer body: the status byte, both lengths and both streams at their limits. */
  public static final int MAX_ANSWER_BODY = 1 + 4 + MAX_STDOUT + 4 + MAX_STDERR;

  /** The shim forwards the environment variables whose names start with this. */
  public static final String ENV_PREFIX = "CNI_";

  /** What a frame is; the code is the header's kind byte. */
  public enum Kind {
    /** Shim to server: the call. */
    REQUEST(1),
    /**
     * Server to shim, empty: the server has read the request and runs it now. A server that closes
     * before sending it never ran the request, so the shim may run the standalone plugin instead.
     */
    ACCEPTED(2),
    /** Server to shim: the plugin's stdout, stderr and exit status, or the server's refusal. */
    ANSWER(3);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
