package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The boot unit shipped in {@code packaging/systemd}: ordered before kubelet, a valid command. */
class SystemdUnitTest {
  static final Path UNIT = Path.of("packaging/systemd/sriov-node-apply.service");

  static List<String> values(List<String> lines, String key) {
    return lines.stream()
        .filter(l -> l.startsWith(key + "="))
        .map(l -> l.substring(key.length() + 1))
        .toList();
  }

  @Test
  void execStartIsAValidApplySavedCommandLineBeforeKubelet() throws Exception {
    List<String> lines = Files.readAllLines(UNIT);
    assertThat(values(lines, "Before")).singleElement().asString().contains("kubelet.service");
    assertThat(values(lines, "Type")).containsExactly("oneshot");
    List<String> exec = values(lines, "ExecStart");
    assertThat(exec).hasSize(1);
    // No quotes or specifiers in the line: systemd splits it on spaces, as done here.
    assertThat(exec.get(0)).doesNotContain("\"", "'", "%", "$");
    List<String> argv = Arrays.asList(exec.get(0).split(" +"));
    assertThat(argv.get(0)).isEqualTo("/usr/local/bin/sriov-node");
    DaemonCommandLine cmd = DaemonCommandLine.parse(argv.subList(1, argv.size()));
    assertThat(cmd.applySaved()).isTrue();
    assertThat(cmd.mode()).isEqualTo(DaemonCommandLine.Mode.ONCE);
    assertThat(cmd.stateDir()).contains(NodeDaemonApp.DEFAULT_STATE_DIR);
    assertThat(values(lines, "ConditionPathExists"))
        .containsExactly(
            NodeDaemonApp.DEFAULT_STATE_DIR
                .resolve(io.sriov.daemon.state.SavedNodeState.FILE_NAME)
                .toString());
  }
}
