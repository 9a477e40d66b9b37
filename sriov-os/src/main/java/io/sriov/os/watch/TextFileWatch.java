package io.sriov.os.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A text file (a config file, a desired-state file) whose changes are handed to a {@link Listener}:
 * {@link #check()} re-reads it and calls the listener when its content differs from the last text
 * seen; {@link #watch} runs {@code check()} on every inotify event of the file's directory ({@link
 * DirectoryWatch}), so an edit in place, an atomic rename over it and a Kubernetes ConfigMap update
 * (a symlink swap of {@code ..data} beside the file) are all seen at once, and nothing runs while
 * nothing changes. A file that cannot be read is reported once until it can be read again; its
 * return with the same text counts as a change (the listener kept the last good state meanwhile and
 * may want to know).
 */
public final class TextFileWatch {

  /** What the watch reports; called on the caller's thread of {@link #check()}, one at a time. */
  public interface Listener {
    /** The file's content changed to {@code text}. */
    void changed(String text);

    /** The file cannot be read (deleted, permissions): reported once per failure streak. */
    void unreadable(IOException error);
  }

  private final Path file;
  private final Listener listener;
  private String lastSeenText;

  /**
   * @param servedText the text whose state is in use now: not reported as a change
   */
  public TextFileWatch(Path file, String servedText, Listener listener) {
    this.file = Objects.requireNonNull(file, "file");
    this.lastSeenText = Objects.requireNonNull(servedText, "servedText");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The watched file. */
  public Path file() {
    return file;
  }

  /** Re-reads the file and reports a change or a new read failure. */
  public synchronized void check() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      if (lastSeenText != null) {
        lastSeenText = null;
        listener.unreadable(e);
      }
      return;
    }
    if (text.equals(lastSeenText)) {
      return;
    }
    lastSeenText = text;
    listener.changed(text);
  }

  /**
   * Starts the inotify watch of the file's directory; close the result to stop it.
   *
   * @throws IOException when no watch service can be had
   */
  public DirectoryWatch watch(String threadName) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    DirectoryWatch w =
        new DirectoryWatch(
            List.of(dir), DirectoryWatch.ANY_CHANGE, name -> true, this::check, threadName);
    if (!w.watchingAll()) {
      w.close();
      throw new IOException("cannot watch directory " + dir + " of " + file);
    }
    check(); // a change between reading the served text and the watch starting
    return w;
  }
}
