package io.sriov.cni.plugin;

import java.util.Optional;

/** A CNI spec version this project speaks, oldest first (0.1.0 and 0.2.0 results are not). */
public enum CniVersion {
  V0_3_0("0.3.0"),
  V0_3_1("0.3.1"),
  V0_4_0("0.4.0"),
  V1_0_0("1.0.0"),
  V1_1_0("1.1.0");

  /** The newest: what VERSION reports as its own and what an error without a netconf carries. */
  public static final CniVersion LATEST = V1_1_0;

  private final String text;

  CniVersion(String text) {
    this.text = text;
  }

  /** The version spelled exactly ({@code "1.0.0"}); empty for any other text. */
  public static Optional<CniVersion> of(String text) {
    for (CniVersion v : values()) {
      if (v.text.equals(text)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  public boolean atLeast(CniVersion other) {
    return compareTo(other) >= 0;
  }

  /** {@code "0.4.0"}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
