package io.sriov.cni.plugin;

import java.util.Optional;

/**
 * The value of {@code CNI_COMMAND} (spec 1.1 §2). Which {@code CNI_*} variables each command needs
 * is {@link CniEnvironment}'s business; which netconf versions allow it is {@link CniVersions}'.
 */
public enum CniCommand {
  ADD,
  DEL,
  CHECK,
  GC,
  STATUS,
  VERSION;

  /** The command spelled exactly as the spec spells it (upper case); empty for anything else. */
  public static Optional<CniCommand> of(String text) {
    for (CniCommand c : values()) {
      if (c.name().equals(text)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * ADD, DEL and CHECK act on one attachment (container id and interface); GC and STATUS do not.
   */
  public boolean perAttachment() {
    return this == ADD || this == DEL || this == CHECK;
  }
}
