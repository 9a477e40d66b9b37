package io.sriov.daemon.app;

import io.sriov.daemon.state.NodeStateCodec;
import io.sriov.daemon.state.NodeStateFormatException;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.os.files.FileErrors;
import io.sriov.os.watch.DirectoryWatch;
import io.sriov.os.watch.TextFileWatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving daemon's {@code --node-state} file, watched with inotify (sriov-os's {@link
 * TextFileWatch}): a changed file is parsed and handed to the reconcile loop, which applies it (or,
 * when the validator rejects it, keeps the last good state). A file that cannot be read or parsed
 * is logged with the precise error once per change and the last good state stays in force.
 */
final class NodeStateFileWatch implements TextFileWatch.Listener {
  private static final Logger log = LoggerFactory.getLogger(NodeStateFileWatch.class);

  private final Path file;
  private final Consumer<SriovNetworkNodeState> loop;
  private final TextFileWatch watch;
  private final NodeStateCodec codec = new NodeStateCodec();

  /**
   * @param servedText the text of the state applied now
   * @param loop takes a new desired state ({@code ReconcileLoop::desiredChanged})
   */
  NodeStateFileWatch(Path file, String servedText, Consumer<SriovNetworkNodeState> loop) {
    this.file = Objects.requireNonNull(file, "file");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.watch = new TextFileWatch(file, servedText, this);
  }

  /** Starts the inotify watch; close the result to stop it. */
  DirectoryWatch start() throws IOException {
    return watch.watch("sriov-node-state-watch");
  }

  /** Re-reads the file now (what an inotify event does). */
  void check() {
    watch.check();
  }

  /** The message for an unreadable node-state file, at start and while serving. */
  static String cannotRead(Path file, IOException e) {
    return "cannot read node state file " + file + ": " + FileErrors.describe(e);
  }

  @Override
  public void changed(String text) {
    try {
      loop.accept(codec.read(file, text));
      log.info("node state file changed file={}", file);
    } catch (NodeStateFormatException e) {
      log.error("{}; keeping the last good node state", e.getMessage());
    }
  }

  @Override
  public void unreadable(IOException error) {
    log.error("{}; keeping the last good node state", cannotRead(file, error));
  }
}
