package io.sriov.daemon.state;

import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desired state kept for the boot re-apply. */
class SavedNodeStateTest {
  @TempDir Path dir;

  @Test
  void savedWithoutStatusReadOnlyByRootAndLoadedBack() throws Exception {
    SavedNodeState saved = new SavedNodeState(dir.resolve("state"));
    assertThat(saved.load()).as("never saved").isEmpty();
    SriovNetworkNodeState desired =
        SriovNetworkNodeState.of("node-1", spec(pf(E810_0, 4, group("net", "netdevice", "0-3"))));
    saved.save(
        desired.withStatus(NodeStateStatus.of(java.util.List.of(), SyncStatus.SUCCEEDED, "")));
    assertThat(saved.file()).isEqualTo(dir.resolve("state/desired-node-state.yaml"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved.file())))
        .isEqualTo("rw-------");
    assertThat(saved.load()).contains(desired);
  }

  @Test
  void aMalformedSavedStateNamesTheFile() throws Exception {
    SavedNodeState saved = new SavedNodeState(dir);
    Files.writeString(saved.file(), "kind: SriovNetworkNodeState\nspec:\n  interfaces: 3\n");
    assertThatThrownBy(saved::load)
        .isInstanceOf(NodeStateFormatException.class)
        .hasMessageStartingWith(saved.file() + ": ");
  }
}
