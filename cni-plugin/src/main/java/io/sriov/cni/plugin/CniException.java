package io.sriov.cni.plugin;

import java.util.Objects;

/**
 * A CNI error as the spec prints it: {@code code}, {@code msg} and optional {@code details}.
 * Whatever a plugin throws reaches the runtime through {@link CniRunner} as this; anything else
 * becomes code 999 with the exception's message.
 */
public class CniException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient CniErrorCode code;
  private final String msg;
  private final String details;

  public CniException(CniErrorCode code, String msg, String details) {
    super(details.isEmpty() ? msg : msg + "; " + details);
    this.code = Objects.requireNonNull(code, "code");
    this.msg = Objects.requireNonNull(msg, "msg");
    this.details = Objects.requireNonNull(details, "details");
  }

  public CniException(CniErrorCode code, String msg) {
    this(code, msg, "");
  }

  public CniException(CniErrorCode code, String msg, Throwable cause) {
    this(code, msg, "");
    initCause(cause);
  }

  public CniErrorCode code() {
    return code;
  }

  public String msg() {
    return msg;
  }

  /** Empty when there are none (then the error JSON has no {@code details}). */
  public String details() {
    return details;
  }

  /** Code 4, naming the variable. */
  public static CniException invalidEnv(String msg) {
    return new CniException(CniErrorCode.INVALID_ENVIRONMENT_VARIABLES, msg);
  }

  /** Code 6. */
  public static CniException decoding(String msg) {
    return new CniException(CniErrorCode.DECODING_FAILURE, msg);
  }

  /** Code 7, naming the field and value. */
  public static CniException invalidConfig(String msg) {
    return new CniException(CniErrorCode.INVALID_NETWORK_CONFIG, msg);
  }
}
