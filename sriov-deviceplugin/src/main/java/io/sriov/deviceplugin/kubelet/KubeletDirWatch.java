package io.sriov.deviceplugin.kubelet;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches kubelet's socket directories ({@code device-plugins/}, {@code plugins_registry/}) with
 * inotify (the JDK's WatchService on Linux) and calls {@code onChange} when a file there is created
 * or deleted: kubelet deleting the plugin sockets or recreating {@code kubelet.sock} (a kubelet
 * restart) is acted on at once, with no polling. A directory that does not exist yet is watched
 * from the next {@link #watchExisting} after it appears. One daemon thread blocks on the watch.
 */
public final class KubeletDirWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeletDirWatch.class);

  private final List<Path> dirs;
  private final Runnable onChange;
  private final WatchService watcher;
  private final Map<Path, WatchKey> keys = new LinkedHashMap<>();
  private final Thread thread;

  public KubeletDirWatch(List<Path> dirs, Runnable onChange) throws IOException {
    this.dirs = List.copyOf(dirs);
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.watcher = FileSystems.getDefault().newWatchService();
    watchExisting();
    this.thread = new Thread(this::loop, "sriov-dp-kubelet-watch");
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
        keys.put(
            d,
            d.register(
                watcher,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_DELETE));
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
      boolean relevant = false;
      for (var event : key.pollEvents()) {
        // Our own hidden temp sockets come and go at every start: not a change to act on.
        Object ctx = event.context();
        if (!(ctx instanceof Path p) || !p.getFileName().toString().startsWith(".")) {
          relevant = true;
        }
      }
      key.reset();
      if (relevant) {
        try {
          onChange.run();
        } catch (RuntimeException e) {
          log.warn("kubelet dir change handler failed error=\"{}\"", e.toString());
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
