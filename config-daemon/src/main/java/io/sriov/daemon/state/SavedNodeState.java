package io.sriov.daemon.state;

import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The last desired state the daemon accepted, kept in its state directory ({@code
 * desired-node-state.yaml}, YAML, 0600, written atomically) so that the boot unit ({@code
 * sriov-node --apply-saved}) can re-apply it before kubelet starts, as upstream's daemon does from
 * its host-side copy. Only the spec and metadata are kept: the status is the node's, re-read at
 * every pass.
 */
public final class SavedNodeState {
  /** The file's name in the state directory. */
  public static final String FILE_NAME = "desired-node-state.yaml";

  private final Path file;
  private final NodeStateCodec codec = new NodeStateCodec();

  public SavedNodeState(Path stateDir) {
    this.file = Objects.requireNonNull(stateDir, "stateDir").resolve(FILE_NAME);
  }

  /** Where it is kept. */
  public Path file() {
    return file;
  }

  /** Saves {@code desired} without its status. */
  public void save(SriovNetworkNodeState desired) throws IOException {
    SriovNetworkNodeState spec = desired.withStatus(NodeStateStatus.EMPTY);
    AtomicFiles.write(file, codec.toYaml(spec).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The saved state; empty when none was ever saved.
   *
   * @throws NodeStateFormatException when the file is not a valid object (the message names it)
   * @throws IOException when it cannot be read
   */
  public Optional<SriovNetworkNodeState> load() throws IOException {
    try {
      return Optional.of(codec.read(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
