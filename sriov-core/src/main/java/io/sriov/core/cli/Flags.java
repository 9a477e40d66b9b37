package io.sriov.core.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a command line one flag at a time: {@code --name}, {@code --name=value} and {@code --name
 * value}, the same for every executable, so that each parser only says what its flags mean.
 *
 * <pre>{@code
 * Flags flags = new Flags(args, Flags.Style.GNU);
 * while (flags.next()) {
 *   switch (flags.name()) {
 *     case "state-dir" -> stateDir = Path.of(flags.nonEmptyValue());
 *     case "once" -> once = flags.noValue();
 *     default -> throw flags.unknown();
 *   }
 * }
 * }</pre>
 */
public final class Flags {

  /** How flags are spelled. */
  public enum Style {
    /**
     * {@code --name} only; a following argument that starts with {@code --} is the next flag, not a
     * value (so a forgotten value is reported as missing).
     */
    GNU,
    /**
     * Go's {@code flag} package, as upstream's executables read their flags: {@code -name} or
     * {@code --name}, and any following argument is a value.
     */
    GO
  }

  private final List<String> args;
  private final Style style;
  private int index = -1;
  private String arg;
  private String name;
  private String inline;

  public Flags(List<String> args, Style style) {
    this.args = List.copyOf(Objects.requireNonNull(args, "args"));
    this.style = Objects.requireNonNull(style, "style");
  }

  /**
   * Moves to the next flag.
   *
   * @return false when no argument is left
   * @throws UsageException for an argument that is not a flag
   */
  public boolean next() {
    if (++index >= args.size()) {
      return false;
    }
    arg = args.get(index);
    String body;
    if (arg.startsWith("--") && arg.length() > 2) {
      body = arg.substring(2);
    } else if (style == Style.GO
        && arg.startsWith("-")
        && !arg.startsWith("--")
        && arg.length() > 1) {
      body = arg.substring(1);
    } else {
      throw new UsageException("unexpected argument: " + arg);
    }
    int eq = body.indexOf('=');
    name = eq >= 0 ? body.substring(0, eq) : body;
    inline = eq >= 0 ? body.substring(eq + 1) : null;
    return true;
  }

  /** The current flag's name, without dashes or value. */
  public String name() {
    return name;
  }

  /** The value written after {@code =}, or null when the flag was written alone. */
  public String inlineValue() {
    return inline;
  }

  /**
   * The flag's value: after {@code =}, or the next argument (which this consumes).
   *
   * @throws UsageException when there is none
   */
  public String value() {
    if (inline != null) {
      return inline;
    }
    int at = index + 1;
    if (at >= args.size() || (style == Style.GNU && args.get(at).startsWith("--"))) {
      throw new UsageException("flag --" + name + " needs a value");
    }
    index = at;
    return args.get(at);
  }

  /** {@link #value()}, refusing an empty one. */
  public String nonEmptyValue() {
    String v = value();
    if (v.isEmpty()) {
      throw new UsageException("flag --" + name + " needs a value");
    }
    return v;
  }

  /**
   * A value that may be left out: after {@code =}, or (in the {@link Style#GNU GNU} style) the next
   * argument when it does not start with {@code -}, which this consumes; empty when neither. An
   * empty value after {@code =} is refused. In the {@link Style#GO Go} style only {@code =} gives
   * it, as for Go's boolean flags.
   */
  public Optional<String> optionalValue() {
    if (inline == null) {
      int at = index + 1;
      if (style == Style.GNU && at < args.size() && !args.get(at).startsWith("-")) {
        index = at;
        return Optional.of(args.get(at));
      }
      return Optional.empty();
    }
    if (inline.isEmpty()) {
      throw new UsageException("flag --" + name + " needs a value");
    }
    return Optional.of(inline);
  }

  /** For a flag that takes no value: true, or a refusal when one was written after {@code =}. */
  public boolean noValue() {
    if (inline != null) {
      throw new UsageException("flag --" + name + " takes no value, got \"" + inline + "\"");
    }
    return true;
  }

  /**
   * An SLF4J level name written in any case ({@code error}, {@code warn}, {@code info}, {@code
   * debug}, {@code trace}), lower-cased; empty for anything else.
   */
  public static Optional<String> logLevel(String value) {
    String v = value.toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "error", "warn", "info", "debug", "trace" -> Optional.of(v);
      default -> Optional.empty();
    };
  }

  /** The refusal of the current flag as unknown. */
  public UsageException unknown() {
    return new UsageException("unknown flag: " + arg);
  }
}
