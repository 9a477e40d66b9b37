package io.sriov.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {

  /** Reads every flag: "name" for a flag alone, "name=value" when a value was asked for. */
  private static List<String> read(Flags.Style style, String... args) {
    Flags flags = new Flags(List.of(args), style);
    List<String> out = new ArrayList<>();
    while (flags.next()) {
      switch (flags.name()) {
        case "once" -> out.add("once:" + flags.noValue());
        case "sim" -> out.add("sim=" + flags.optionalValue().orElse("<none>"));
        case "dir" -> out.add("dir=" + flags.nonEmptyValue());
        case "any" -> out.add("any=" + flags.value());
        case "bool" -> out.add("bool=" + flags.inlineValue());
        default -> throw flags.unknown();
      }
    }
    return out;
  }

  @Test
  void readsEverySpellingOfAValue() {
    assertThat(read(Flags.Style.GNU, "--dir", "/a", "--dir=/b", "--any=", "--once"))
        .containsExactly("dir=/a", "dir=/b", "any=", "once:true");
  }

  @Test
  void gnuStyleTakesAFollowingValueForAnOptionalOne() {
    assertThat(read(Flags.Style.GNU, "--sim", "/topo.yaml", "--sim", "--once", "--sim"))
        .containsExactly("sim=/topo.yaml", "sim=<none>", "once:true", "sim=<none>");
  }

  @Test
  void goStyleAcceptsOneDashAndDashValues() {
    assertThat(read(Flags.Style.GO, "-dir", "/a", "-any", "--x", "-bool", "--bool=false", "-sim"))
        .containsExactly("dir=/a", "any=--x", "bool=null", "bool=false", "sim=<none>");
    // as for Go's boolean flags, only "=" gives an optional value
    assertRefused("unexpected argument: /topo.yaml", Flags.Style.GO, "-sim", "/topo.yaml");
  }

  @Test
  void refusalsNameTheFlag() {
    assertRefused("flag --dir needs a value", Flags.Style.GNU, "--dir");
    assertRefused("flag --dir needs a value", Flags.Style.GNU, "--dir", "--once");
    assertRefused("flag --dir needs a value", Flags.Style.GNU, "--dir=");
    assertRefused("flag --dir needs a value", Flags.Style.GO, "-dir");
    assertRefused("flag --sim needs a value", Flags.Style.GNU, "--sim=");
    assertRefused("flag --once takes no value, got \"yes\"", Flags.Style.GNU, "--once=yes");
    assertRefused("unknown flag: --nope", Flags.Style.GNU, "--nope");
    assertRefused("unknown flag: -nope=1", Flags.Style.GO, "-nope=1");
    assertRefused("unexpected argument: -dir", Flags.Style.GNU, "-dir");
    assertRefused("unexpected argument: stray", Flags.Style.GO, "stray");
    assertRefused("unexpected argument: --", Flags.Style.GNU, "--");
    assertRefused("unexpected argument: -", Flags.Style.GO, "-");
  }

  @Test
  void anOptionalValueAfterEqualsIsTaken() {
    assertThat(read(Flags.Style.GO, "-sim=/t.yaml")).containsExactly("sim=/t.yaml");
    assertThat(read(Flags.Style.GNU, "--sim=/t.yaml")).containsExactly("sim=/t.yaml");
  }

  @Test
  void logLevelsAreSlf4jNamesInAnyCase() {
    assertThat(Flags.logLevel("DEBUG")).hasValue("debug");
    assertThat(Flags.logLevel("warn")).hasValue("warn");
    assertThat(Flags.logLevel("warning")).isEmpty();
    assertThat(Flags.logLevel("3")).isEmpty();
  }

  private static void assertRefused(String message, Flags.Style style, String... args) {
    assertThatThrownBy(() -> read(style, args))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }
}
