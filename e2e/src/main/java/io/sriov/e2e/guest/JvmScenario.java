package io.sriov.e2e.guest;

import java.lang.management.ManagementFactory;
import java.util.List;

/** The guest JVM itself: version, CPUs, and how long it took to reach main (the start cost). */
final class JvmScenario implements GuestScenario {

  private final long uptimeAtMainMillis;

  JvmScenario(long uptimeAtMainMillis) {
    this.uptimeAtMainMillis = uptimeAtMainMillis;
  }

  @Override
  public String name() {
    return "jvm";
  }

  @Override
  public void run(Evidence evidence) {
    evidence.value("java.version", Runtime.version().toString());
    evidence.value("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
    evidence.value("uptime-at-main-ms", Long.toString(uptimeAtMainMillis));
    evidence.value("os.version", System.getProperty("os.version"));
    evidence.value("pid", Long.toString(ManagementFactory.getRuntimeMXBean().getPid()));
    evidence.command("uname", List.of("uname", "-r"));
  }
}
