package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.daemon.state.SriovNetworkNodeState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving daemon's node-state file: changes handed over, bad ones logged and kept out. */
class NodeStateFileWatchTest {
  static final String GOOD =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetworkNodeState
      spec:
        interfaces:
          - pciAddress: "0000:3b:00.0"
            numVfs: %d
      """;

  @TempDir Path tmp;
  final List<SriovNetworkNodeState> handed = new CopyOnWriteArrayList<>();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  PrintStream savedErr;
  Path file;

  @BeforeEach
  void setUp() throws Exception {
    file = tmp.resolve("node-state.yaml");
    Files.writeString(file, GOOD.formatted(8));
    savedErr = System.err;
    // slf4j-simple writes to the System.err of the moment
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
  }

  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aChangedFileIsHandedOverAndABadOneIsLoggedPreciselyAndKeptOut() throws Exception {
    NodeStateFileWatch w = new NodeStateFileWatch(file, GOOD.formatted(8), handed::add);
    w.check();
    assertThat(handed).as("the served text is no change").isEmpty();

    Files.writeString(file, GOOD.formatted(4));
    w.check();
    assertThat(handed)
        .singleElement()
        .satisfies(s -> assertThat(s.spec().interfaces().get(0).numVfs()).isEqualTo(4));

    Files.writeString(file, GOOD.formatted(4).replace("numVfs", "numvfs"));
    w.check();
    assertThat(handed).hasSize(1);
    assertThat(log())
        .contains(
            "ERROR io.sriov.daemon.app.NodeStateFileWatch - "
                + file
                + ": spec.interfaces[0]: unknown field \"numvfs\"; keeping the last good node"
                + " state");

    Files.delete(file);
    w.check();
    assertThat(log())
        .contains(
            "cannot read node state file "
                + file
                + ": no such file or directory: "
                + file
                + "; keeping the last good node state");
    assertThat(handed).hasSize(1);
  }

  @Test
  void theInotifyWatchHandsOverAnEditWithoutPolling() throws Exception {
    NodeStateFileWatch w = new NodeStateFileWatch(file, GOOD.formatted(8), handed::add);
    try (var watch = w.start()) {
      Path next = tmp.resolve(".node-state.yaml.new");
      Files.writeString(next, GOOD.formatted(2));
      Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (handed.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    assertThat(handed)
        .singleElement()
        .satisfies(s -> assertThat(s.spec().interfaces().get(0).numVfs()).isEqualTo(2));
  }
}
