package io.sriov.observability.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Named checks behind {@code /healthz} (is the process alive) or {@code /readyz} (may it take
 * traffic): each says what is wrong, or nothing. The composition root adds one check per part it
 * wires (the engine's first apply, the device plugin's registration, an event loop's heartbeat); a
 * check added later (the drain, the API server) needs no change here.
 */
public final class Health {
  /** One check: {@code problem} returns why it fails, empty when it passes; it must not block. */
  public record Check(String name, Supplier<Optional<String>> problem) {
    public Check {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(problem, "problem");
    }
  }

  /**
   * The outcome of every check.
   *
   * @param failures {@code name: problem}, in the order the checks were added
   */
  public record Report(int checks, List<String> failures) {
    public Report {
      failures = List.copyOf(failures);
    }

    public boolean ok() {
      return failures.isEmpty();
    }

    /** {@code ok (3 checks)}, or one {@code name: problem} line per failing check. */
    public String render() {
      if (ok()) {
        return "ok (" + checks + (checks == 1 ? " check" : " checks") + ")\n";
      }
      StringBuilder b = new StringBuilder();
      failures.forEach(f -> b.append(f).append('\n'));
      return b.toString();
    }
  }

  private final List<Check> checks = new CopyOnWriteArrayList<>();

  /** Adds a check; names are unique. */
  public Health add(String name, Supplier<Optional<String>> problem) {
    Check c = new Check(name, problem);
    if (checks.stream().anyMatch(x -> x.name().equals(name))) {
      throw new IllegalArgumentException("health check \"" + name + "\" is already added");
    }
    checks.add(c);
    return this;
  }

  /** Runs every check; a check that throws fails with the exception as its problem. */
  public Report report() {
    List<String> failures = new ArrayList<>();
    List<Check> now = List.copyOf(checks);
    for (Check c : now) {
      Optional<String> p;
      try {
        p = c.problem().get();
      } catch (RuntimeException e) {
        p = Optional.of("check failed: " + e);
      }
      p.ifPresent(s -> failures.add(c.name() + ": " + s));
    }
    return new Report(now.size(), failures);
  }
}
