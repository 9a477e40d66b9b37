package io.sriov.os.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches directories with inotify (the JDK's WatchService on Linux; the shell equivalent is {@code
 * inotifywait -m -e create,delete,moved_to,modify DIR}) and calls {@code onChange} when a file
 * there whose name {@code relevant} accepts is created, deleted, renamed in or modified: no
 * polling, no CPU while nothing happens. A directory that does not exist yet is watched from the
 * next {@link #watchExisting} after it appears. One daemon thread blocks on the watch and runs
 * {@code onChange}, which must not block for long; one that throws is logged and the watch goes on.
 *
 * <p>The one inotify watch of the project: the device plugin watches kubelet's socket directories
 * with it, the apps their config files ({@link TextFileWatch}).
 */
public final class DirectoryWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatch.class);

  /** Files appearing and disappearing (a rename into the directory is a create). */
  public static final List<WatchEvent.Kind<Path>> CREATE_DELETE =
      List.of(StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);

  /** As {@link #CREATE_DELETE}, and files written in place. */
  public static final List<WatchEvent.Kind<Path>> ANY_CHANGE =
      List.of(
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.ENTRY_MODIFY);

  private final List<Path> dirs;
  private final List<WatchEvent.Kind<Path>> kinds;
  private final Predicate<Path> relevant;
  private final Runnable onChange;
  private final WatchService watcher;
  private final Map<Path, WatchKey> keys = new LinkedHashMap<>();
  private final Thread thread;

  /**
   * Starts watching.
   *
   * @param relevant gets a changed file's name (relative to its directory); false: ignore it
   * @param threadName the watch thread's name, for thread dumps
   * @throws IOException when no watch service can be had
   */
  public DirectoryWatch(
      List<Path> dirs,
      List<WatchEvent.Kind<Path>> kinds,
      Predicate<Path> relevant,
      Runnable onChange,
      String threadName)
      throws IOException {
    this.dirs = List.copyOf(dirs);
    this.kinds = List.copyOf(kinds);
    this.relevant = Objects.requireNonNull(relevant, "relevant");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.watcher = FileSystems.getDefault().newWatchService();
    watchExisting();
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts watching the directories that exist now and are not watched yet (or any more). */
  public synchronized void watchExisting() {
    for (Path d : dirs) {
      WatchKey k = keys.get(d);
      if ((k != null && k.isValid()) || !Files.isDirectory(d)) {
        continue;
      }
      try {
        keys.put(d, d.register(watcher, kinds.toArray(WatchEvent.Kind<?>[]::new)));
        log.debug("watching dir={}", d);
      } catch (IOException | ClosedWatchServiceException e) {
        log.warn("cannot watch dir={} error=\"{}\"", d, e.toString());
      }
    }
  }

  /** True when every directory is watched. */
  public synchronized boolean watchingAll() {
    return dirs.stream().allMatch(d -> keys.containsKey(d) && keys.get(d).isValid());
  }

  private void loop() {
    while (true) {
      WatchKey key;
      try {
        key = watcher.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      boolean act = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        // OVERFLOW (events lost) has no name: act, the handler re-reads what it watches.
        if (!(event.context() instanceof Path p) || relevant.test(p)) {
          act = true;
        }
      }
      key.reset();
      if (act) {
        try {
          onChange.run();
        } catch (RuntimeException e) {
          log.warn("dir change handler failed dirs={} error=\"{}\"", dirs, e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing the watch service failed error=\"{}\"", e.toString());
    }
    thread.interrupt();
  }
}
