package io.sriov.deviceplugin.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.os.files.FileErrors;
import io.sriov.os.watch.DirectoryWatch;
import io.sriov.os.watch.TextFileWatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone plugin's config source: the config file (upstream's {@code --config-file}),
 * watched with inotify ({@link TextFileWatch}), a changed one parsed and handed to the engine. A
 * file that cannot be read or parsed, or that the engine rejects, is logged with the precise error
 * once per change and the last good config keeps being served; a deleted file keeps the plugin
 * serving.
 */
final class ConfigFileWatcher implements TextFileWatch.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

  private final Path file;
  private final ResourcePrefix defaultPrefix;
  private final Consumer<DevicePluginConfig> engine;
  private final MeterRegistry meters;
  private final TextFileWatch watch;

  /**
   * @param engine applies a config, or throws {@link PlanException} and keeps the last good one
   *     (the engine counts that in {@code sriov.deviceplugin.reloads{result=invalid}})
   * @param servedText the text of the config the engine serves now
   */
  ConfigFileWatcher(
      Path file,
      ResourcePrefix defaultPrefix,
      Consumer<DevicePluginConfig> engine,
      MeterRegistry meters,
      String servedText) {
    this.file = Objects.requireNonNull(file, "file");
    this.defaultPrefix = Objects.requireNonNull(defaultPrefix, "defaultPrefix");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.watch = new TextFileWatch(file, servedText, this);
  }

  /** Reads the config file; the message names the file and the OS error. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PlanException(cannotRead(file, e));
    }
  }

  private static String cannotRead(Path file, IOException e) {
    return "cannot read config file " + file + ": " + FileErrors.describe(e);
  }

  /** Parses {@code text} read from {@code file}; messages start with the file's path. */
  static DevicePluginConfig parse(Path file, String text, ResourcePrefix defaultPrefix) {
    return DevicePluginConfig.parse(text, file.toString(), defaultPrefix);
  }

  /** Starts the inotify watch of the file; close the result to stop it. */
  DirectoryWatch watch() throws IOException {
    return watch.watch("sriov-dp-config-watch");
  }

  /** Re-reads the file and hands it to the engine when its content changed. */
  void poll() {
    watch.check();
  }

  @Override
  public void unreadable(IOException error) {
    log.error("{}; keeping the last good config", cannotRead(file, error));
    invalid();
  }

  @Override
  public void changed(String text) {
    log.info("config file changed file={}", file);
    DevicePluginConfig config;
    try {
      config = parse(file, text, defaultPrefix);
    } catch (PlanException e) {
      rejected(e);
      invalid();
      return;
    }
    try {
      engine.accept(config);
    } catch (PlanException e) {
      rejected(e);
    }
  }

  private void rejected(PlanException e) {
    log.error(
        "invalid config file={} error=\"{}\"; keeping the last good config", file, e.getMessage());
  }

  private void invalid() {
    meters.counter("sriov.deviceplugin.reloads", "result", "invalid").increment();
  }
}
