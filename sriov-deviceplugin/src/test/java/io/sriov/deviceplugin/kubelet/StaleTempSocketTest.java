package io.sriov.deviceplugin.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed between binding its hidden temp socket and renaming it leaves the temp. */
class StaleTempSocketTest {
  @TempDir Path dir;

  @Test
  void onlyHiddenTempSocketsOlderThanAMinuteAreRemoved() throws Exception {
    Instant now = Instant.parse("2026-12-02T06:00:00Z");
    Path stale = aged(".dp-0badc0de.sock", now.minus(Duration.ofMinutes(5)));
    Path fresh = aged(".dp-12345678.sock", now.minus(Duration.ofSeconds(10)));
    Path served = aged("intel.com_net.sock", now.minus(Duration.ofHours(1)));
    Path other = aged(".other.sock", now.minus(Duration.ofHours(1)));

    assertThat(PluginEndpoint.removeStaleTempSockets(dir, now)).containsExactly(stale);

    assertThat(stale).doesNotExist();
    assertThat(fresh).as("maybe a live instance's, about to be renamed").exists();
    assertThat(served).exists();
    assertThat(other).exists();
    assertThat(PluginEndpoint.removeStaleTempSockets(dir.resolve("missing"), now)).isEmpty();
  }

  private Path aged(String name, Instant modified) throws Exception {
    Path p = Files.createFile(dir.resolve(name));
    Files.setLastModifiedTime(p, FileTime.from(modified));
    return p;
  }
}
