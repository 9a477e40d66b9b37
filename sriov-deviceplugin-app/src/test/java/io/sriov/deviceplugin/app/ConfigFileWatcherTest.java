package io.sriov.deviceplugin.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone app's config file: re-read, parsed, handed to the engine; bad ones kept out. */
class ConfigFileWatcherTest {
  @TempDir Path tmp;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<List<String>> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Path config;

  /** The engine: rejects a config with a pool named "rejected", as a failed plan would. */
  private void engine(DevicePluginConfig c) {
    List<String> names = c.resources().resources().stream().map(r -> r.name().value()).toList();
    if (names.contains("rejected")) {
      throw new PlanException(c.source() + ": the engine said no");
    }
    applied.add(names);
  }

  private static String json(String... names) {
    List<String> pools = new ArrayList<>();
    for (String n : names) {
      pools.add("{\"resourceName\": \"" + n + "\", \"selectors\": {}}");
    }
    return "{\"resourceList\": [" + String.join(", ", pools) + "]}";
  }

  private ConfigFileWatcher watcher(String served) {
    return new ConfigFileWatcher(config, ResourcePrefix.INTEL, this::engine, meters, served);
  }

  private double invalid() {
    var c = meters.find("sriov.deviceplugin.reloads").tag("result", "invalid").counter();
    return c == null ? 0 : c.count();
  }

  @BeforeEach
  void setUp() {
    config = tmp.resolve("config.json");
  }

  @Test
  void missingConfigAtStartFailsNamingTheFile() {
    assertThatThrownBy(() -> ConfigFileWatcher.read(config))
        .isInstanceOf(PlanException.class)
        .hasMessage("cannot read config file " + config + ": no such file or directory: " + config);
  }

  @Test
  void badConfigAtStartFailsWithTheParsersMessageNamingTheFile() throws Exception {
    String text = json("a", "a");
    Files.writeString(config, text);
    assertThatThrownBy(() -> ConfigFileWatcher.parse(config, text, ResourcePrefix.INTEL))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            config
                + ": resourceList[1].resourceName: \"a\" is already used by resourceList[0] under"
                + " prefix intel.com");
  }

  @Test
  void changedConfigIsHandedOverAndABadOneKeepsTheLastGood() throws Exception {
    Files.writeString(config, json("a"));
    ConfigFileWatcher w = watcher(json("a"));
    w.poll();
    assertThat(applied).as("unchanged text is not handed over again").isEmpty();

    Files.writeString(config, json("a", "b"));
    w.poll();
    assertThat(applied).containsExactly(List.of("a", "b"));

    Files.writeString(config, "{\"resourceList\": [\n  {\"resourceName\": \"a\",,}\n]}");
    w.poll();
    w.poll(); // the same bad text is reported once
    assertThat(applied).hasSize(1);
    assertThat(invalid()).isEqualTo(1);

    Files.writeString(config, json("c"));
    w.poll();
    assertThat(applied).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void aConfigTheEngineRejectsIsNotRetriedUntilTheFileChanges() throws Exception {
    Files.writeString(config, json("a"));
    ConfigFileWatcher w = watcher(json("a"));
    Files.writeString(config, json("rejected"));
    w.poll();
    w.poll();
    assertThat(applied).isEmpty();
    assertThat(invalid()).as("the engine counts its own rejections").isZero();
    Files.writeString(config, json("b"));
    w.poll();
    assertThat(applied).containsExactly(List.of("b"));
  }

  @Test
  void deletedConfigFileKeepsServingAndIsReadAgainWhenItReturns() throws Exception {
    Files.writeString(config, json("a"));
    ConfigFileWatcher w = watcher(json("a"));
    Files.delete(config);
    w.poll();
    w.poll();
    assertThat(applied).isEmpty();
    assertThat(invalid()).isEqualTo(1);
    Files.writeString(config, json("a"));
    w.poll();
    assertThat(applied).containsExactly(List.of("a"));
  }

  @Test
  void theInotifyWatchHandsOverAnEditWithoutPolling() throws Exception {
    Files.writeString(config, json("a"));
    ConfigFileWatcher w = watcher(json("a"));
    try (var watch = w.watch()) {
      Path tmpFile = tmp.resolve(".config.json.new");
      Files.writeString(tmpFile, json("a", "b"));
      Files.move(tmpFile, config, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (applied.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(applied).containsExactly(List.of("a", "b"));
    }
  }

  @Test
  void allocationPolicyIsReadFromTheFile() throws Exception {
    String text =
        "{\"resourceList\": [{\"resourceName\": \"a\", \"allocationPolicy\": \"pack\","
            + " \"selectors\": {}}]}";
    DevicePluginConfig parsed = ConfigFileWatcher.parse(config, text, ResourcePrefix.INTEL);
    ResourceConfig a = parsed.resources().resources().get(0);
    assertThat(a.allocationPolicy()).isEqualTo(AllocationPolicy.PACK);
    assertThat(parsed.resources().warnings()).isEmpty();
    assertThat(parsed.source()).isEqualTo(config.toString());
  }
}
