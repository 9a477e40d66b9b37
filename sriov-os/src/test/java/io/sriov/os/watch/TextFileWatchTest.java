package io.sriov.os.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched text file: changes reported once each, read failures once per streak, by inotify. */
class TextFileWatchTest {
  @TempDir Path dir;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private final TextFileWatch.Listener listener =
      new TextFileWatch.Listener() {
        @Override
        public void changed(String text) {
          seen.add("changed " + text);
        }

        @Override
        public void unreadable(IOException error) {
          seen.add("unreadable " + error.getClass().getSimpleName());
        }
      };

  @Test
  void checkReportsChangesOnceAndAReadFailureOncePerStreak() throws Exception {
    Path file = dir.resolve("state.yaml");
    Files.writeString(file, "a");
    TextFileWatch w = new TextFileWatch(file, "a", listener);
    w.check();
    assertThat(seen).as("the served text is no change").isEmpty();
    Files.writeString(file, "b");
    w.check();
    w.check();
    Files.delete(file);
    w.check();
    w.check();
    Files.writeString(file, "b");
    w.check();
    assertThat(seen).containsExactly("changed b", "unreadable NoSuchFileException", "changed b");
  }

  @Test
  void theWatchSeesAnEditInPlaceARenameOverAndADeletionWithoutPolling() throws Exception {
    Path file = dir.resolve("state.yaml");
    Files.writeString(file, "a");
    TextFileWatch w = new TextFileWatch(file, "a", listener);
    try (DirectoryWatch watch = w.watch("test-watch")) {
      Files.writeString(file, "b");
      awaitSeen("changed b");
      Path tmp = dir.resolve(".state.yaml.tmp");
      Files.writeString(tmp, "c");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      awaitSeen("changed c");
      Files.delete(file);
      awaitSeen("unreadable NoSuchFileException");
    }
    // an edit in place truncates first: the watch may see the empty file in between
    assertThat(seen.stream().filter(s -> !s.equals("changed ")))
        .containsExactly("changed b", "changed c", "unreadable NoSuchFileException");
  }

  @Test
  void aFileInAMissingDirectoryCannotBeWatched() {
    Path file = dir.resolve("missing/state.yaml");
    TextFileWatch w = new TextFileWatch(file, "a", listener);
    assertThatThrownBy(() -> w.watch("test-watch"))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot watch directory " + dir.resolve("missing") + " of " + file);
  }

  private void awaitSeen(String report) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!seen.contains(report) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(seen).contains(report);
  }
}
