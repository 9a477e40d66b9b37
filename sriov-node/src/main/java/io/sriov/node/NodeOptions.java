package io.sriov.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open the real node ({@link HostNode#open}).
 *
 * @param sysfsRoot the directory holding {@code sys/} and {@code dev/}: {@code /} on a node, a
 *     container's host mount or a test tree otherwise
 * @param events whether to start the link, PCI device (uevent) and default-route monitors: a
 *     long-running process wants them, a one-shot command (a CNI call) does not
 * @param devlink whether to open devlink (DDP profiles for discovery, eswitch mode)
 */
public record NodeOptions(Path sysfsRoot, boolean events, boolean devlink) {

  public NodeOptions {
    Objects.requireNonNull(sysfsRoot, "sysfsRoot");
  }

  /** The whole node under {@code /}, with event monitors and devlink: what a daemon opens. */
  public static NodeOptions defaults() {
    return new NodeOptions(Path.of("/"), true, true);
  }

  public NodeOptions withSysfsRoot(Path root) {
    return new NodeOptions(root, events, devlink);
  }

  public NodeOptions withEvents(boolean on) {
    return new NodeOptions(sysfsRoot, on, devlink);
  }

  public NodeOptions withDevlink(boolean on) {
    return new NodeOptions(sysfsRoot, events, on);
  }
}
