package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.e2e.harness.GuestJvm;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.TestVm;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's code against the guest's real kernel: one boot, one guest JVM ({@code
 * io.sriov.e2e.guest.GuestMain}) runs every guest-side scenario; each test here judges one
 * scenario's evidence against what the guest's own tools reported in the same run.
 */
class JavaScenariosE2E {

  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    run = TestVm.run(TestVm.request("java", GuestJvm.command("java", List.of())));
  }

  private static String v(String relative) {
    return run.text("java/" + relative)
        .orElseThrow(
            () ->
                new AssertionError(
                    "guest recorded no java/" + relative + "\n" + run.diagnostics()));
  }

  private static void assertScenarioOk(String scenario) {
    assertThat(v(scenario + "/result"))
        .as(
            scenario
                + " failed in the guest:\n"
                + run.text("java/" + scenario + "/error").orElse(""))
        .isEqualTo("ok");
  }

  @Test
  void guestJvmRanEveryScenario() {
    assertThat(run.exitCode()).as(run.diagnostics()).isZero();
    assertThat(v("ran").lines()).contains("jvm");
  }

  @Test
  void guestJvmIsThisJdkOnTheGuestKernel() {
    assertScenarioOk("jvm");
    assertThat(v("jvm/java.version")).isEqualTo(Runtime.version().toString());
    assertThat(v("jvm/os.version")).startsWith("6.12.").isEqualTo(v("jvm/uname.out"));
    assertThat(Long.parseLong(v("jvm/uptime-at-main-ms"))).isPositive();
  }
}
