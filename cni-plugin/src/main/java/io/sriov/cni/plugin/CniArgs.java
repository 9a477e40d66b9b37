package io.sriov.cni.plugin;

import io.sriov.core.value.InvalidValueException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code CNI_ARGS}: {@code KEY=VALUE} pairs separated by {@code ;}, parsed as libcni's {@code
 * types.LoadArgs} parses them: an empty string is no arguments, every other element must contain
 * {@code =} (the value may be empty and may contain more {@code =}), a key given twice keeps its
 * last value, keys are case-sensitive. {@code IgnoreUnknown} takes Go's {@code UnmarshallableBool}
 * values ({@code 1}, {@code true}, {@code True}, {@code 0}, {@code false}, {@code False}). A plugin
 * names the keys it understands with {@link #requireKnown}; any other key is an error unless {@code
 * IgnoreUnknown} is true. Errors are code 4 naming the variable.
 *
 * @param raw the variable as given ({@code ""} when unset), passed on to delegated plugins
 * @param values the pairs in first-seen order
 */
public record CniArgs(String raw, Map<String, String> values) {
  public static final String IGNORE_UNKNOWN = "IgnoreUnknown";

  public CniArgs {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static final CniArgs NONE = new CniArgs("", Map.of());

  /**
   * @throws CniException code 4 for an element without {@code =}, an empty key, or a bad {@code
   *     IgnoreUnknown}
   */
  public static CniArgs parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return NONE;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : raw.split(";", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw CniException.invalidEnv(
            "CNI_ARGS "
                + InvalidValueException.quote(raw)
                + ": invalid pair "
                + InvalidValueException.quote(pair)
                + " (want KEY=VALUE, pairs separated by ;)");
      }
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    String ignore = out.get(IGNORE_UNKNOWN);
    if (ignore != null && parseBool(ignore).isEmpty()) {
      throw CniException.invalidEnv(
          "CNI_ARGS: IgnoreUnknown="
              + ignore
              + ": not a boolean (want 1, true, True, 0, false or False)");
    }
    return new CniArgs(raw, out);
  }

  /** The value of {@code key}, when given. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** {@code IgnoreUnknown} is given and true. */
  public boolean ignoreUnknown() {
    return get(IGNORE_UNKNOWN).flatMap(CniArgs::parseBool).orElse(false);
  }

  /**
   * Fails when a key is neither in {@code known} nor {@code IgnoreUnknown}, unless {@code
   * IgnoreUnknown} is true.
   *
   * @throws CniException code 4 listing the unknown keys
   */
  public void requireKnown(Set<String> known) {
    if (ignoreUnknown()) {
      return;
    }
    List<String> unknown = new ArrayList<>();
    for (String k : values.keySet()) {
      if (!known.contains(k) && !k.equals(IGNORE_UNKNOWN)) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw CniException.invalidEnv(
          "CNI_ARGS: unknown "
              + (unknown.size() == 1 ? "key " : "keys ")
              + String.join(", ", unknown.stream().map(InvalidValueException::quote).toList())
              + " (known: "
              + String.join(", ", known.stream().sorted().toList())
              + "; add IgnoreUnknown=1 to ignore others)");
    }
  }

  private static Optional<Boolean> parseBool(String s) {
    return switch (s) {
      case "1", "true", "True" -> Optional.of(true);
      case "0", "false", "False" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
