package io.sriov.e2e.guest;

/**
 * One guest-side scenario: runs the project's code against the guest's real kernel and records
 * evidence (its own readings and the shell's, e.g. {@code ip -j link}); the host-side *E2E test
 * compares them. Scenarios run in order in one JVM and leave the guest as they found it.
 */
public interface GuestScenario {

  /** Folder name of its evidence, e.g. {@code sysfs-discovery}. */
  String name();

  /** Runs it. An exception is recorded as the scenario's failure; later scenarios still run. */
  void run(Evidence evidence) throws Exception;
}
