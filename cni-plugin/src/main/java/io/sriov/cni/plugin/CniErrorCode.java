package io.sriov.cni.plugin;

/**
 * A CNI error code (spec 1.1 §6 "Error"): the reserved codes 1-99 the spec and libcni define, or a
 * plugin-specific code (100 and above). Open, not an enum: a delegated IPAM plugin's code is
 * relayed as it is, whatever it is.
 */
public record CniErrorCode(int code) {
  /** 1: the netconf's {@code cniVersion} is not one the plugin supports. */
  public static final CniErrorCode INCOMPATIBLE_CNI_VERSION = new CniErrorCode(1);

  /** 2: a netconf field the plugin does not support; the message names the key and value. */
  public static final CniErrorCode UNSUPPORTED_FIELD = new CniErrorCode(2);

  /** 3: the container is unknown or does not exist (the runtime need not call DEL). */
  public static final CniErrorCode UNKNOWN_CONTAINER = new CniErrorCode(3);

  /** 4: a {@code CNI_*} variable is missing or invalid; the message names it. */
  public static final CniErrorCode INVALID_ENVIRONMENT_VARIABLES = new CniErrorCode(4);

  /** 5: an I/O failure (reading stdin, a state file, ...). */
  public static final CniErrorCode IO_FAILURE = new CniErrorCode(5);

  /** 6: the netconf (or a result) cannot be decoded. */
  public static final CniErrorCode DECODING_FAILURE = new CniErrorCode(6);

  /** 7: a netconf value is invalid. */
  public static final CniErrorCode INVALID_NETWORK_CONFIG = new CniErrorCode(7);

  /** 8: libcni's invalid netns ({@code ErrInvalidNetNS}; not in the spec's table). */
  public static final CniErrorCode INVALID_NETNS = new CniErrorCode(8);

  /** 11: a transient condition; the runtime should retry later. */
  public static final CniErrorCode TRY_AGAIN_LATER = new CniErrorCode(11);

  /** 50: STATUS: the plugin cannot serve ADD now. */
  public static final CniErrorCode PLUGIN_NOT_AVAILABLE = new CniErrorCode(50);

  /** 51: STATUS: not available, and existing containers may have limited connectivity. */
  public static final CniErrorCode PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY = new CniErrorCode(51);

  /** 999: libcni's {@code ErrInternal}, for a failure that is none of the above. */
  public static final CniErrorCode INTERNAL = new CniErrorCode(999);

  /** The first code the spec leaves to plugins. */
  public static final int FIRST_PLUGIN_SPECIFIC = 100;

  public CniErrorCode {
    if (code < 1) {
      throw new IllegalArgumentException("CNI error code " + code + ": must be 1 or more");
    }
  }

  /** A plugin's own code: 100 or more. */
  public static CniErrorCode pluginSpecific(int code) {
    if (code < FIRST_PLUGIN_SPECIFIC) {
      throw new IllegalArgumentException(
          "plugin-specific CNI error code " + code + ": must be 100 or more (1-99 are reserved)");
    }
    return new CniErrorCode(code);
  }

  @Override
  public String toString() {
    return Integer.toString(code);
  }
}
