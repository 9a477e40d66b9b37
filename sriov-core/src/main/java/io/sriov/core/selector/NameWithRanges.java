package io.sriov.core.selector;

import io.sriov.core.value.InvalidValueException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@code pfNames} or {@code rootDevices} entry: a PF (by netdev name or PCI address), optionally
 * followed by {@code #} and the VF/SF indexes it contributes ({@code ens1f0#0,2-7,9}). Without
 * {@code #} every VF/SF of the PF is meant.
 *
 * @param ranges empty when the entry had no {@code #} part
 */
public record NameWithRanges<T>(T name, List<IndexRange> ranges) {

  public NameWithRanges {
    Objects.requireNonNull(name, "name");
    ranges = List.copyOf(ranges);
  }

  /**
   * Parses {@code name[#ranges]}. The name part goes through {@code nameParser}, which throws
   * {@link InvalidValueException} when it does not accept it.
   */
  public static <T> NameWithRanges<T> parse(String text, Function<String, T> nameParser) {
    if (text == null || text.isEmpty()) {
      throw new InvalidValueException("entry is empty");
    }
    int hash = text.indexOf('#');
    if (hash < 0) {
      return new NameWithRanges<>(nameParser.apply(text), List.of());
    }
    if (hash == 0) {
      throw new InvalidValueException(
          "entry " + InvalidValueException.quote(text) + " has nothing before '#'");
    }
    String rest = text.substring(hash + 1);
    if (rest.isEmpty()) {
      throw new InvalidValueException(
          "entry " + InvalidValueException.quote(text) + " has no indexes after '#'");
    }
    if (rest.indexOf('#') >= 0) {
      throw new InvalidValueException(
          "entry " + InvalidValueException.quote(text) + " has more than one '#'");
    }
    T name = nameParser.apply(text.substring(0, hash));
    return new NameWithRanges<>(name, IndexRange.parseList(rest));
  }

  /** True when no ranges were given, or {@code index} is present and inside one of them. */
  public boolean includes(OptionalInt index) {
    if (ranges.isEmpty()) {
      return true;
    }
    if (index.isEmpty()) {
      return false;
    }
    int i = index.getAsInt();
    for (IndexRange r : ranges) {
      if (r.contains(i)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return ranges.isEmpty()
        ? name.toString()
        : name + "#" + ranges.stream().map(IndexRange::toString).collect(Collectors.joining(","));
  }
}
