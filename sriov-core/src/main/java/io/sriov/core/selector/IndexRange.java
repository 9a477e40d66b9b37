package io.sriov.core.selector;

import io.sriov.core.value.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive range of VF or SF indexes, {@code first-last}; a single index {@code n} is the range
 * {@code n-n}. The list form {@code 0,2-7,9} is what follows {@code #} in the {@code pfNames} and
 * {@code rootDevices} selectors.
 */
public record IndexRange(int first, int last) {

  public IndexRange {
    if (first < 0 || last < 0) {
      throw new InvalidValueException("index must not be negative: " + first + "-" + last);
    }
    if (first > last) {
      throw new InvalidValueException("range " + first + "-" + last + " is reversed");
    }
  }

  public static IndexRange single(int index) {
    return new IndexRange(index, index);
  }

  public boolean contains(int index) {
    return index >= first && index <= last;
  }

  /**
   * Parses a comma-separated list of indexes and ranges ({@code 0,2-7,9}). Indexes are decimal,
   * without sign or spaces. Throws {@link InvalidValueException} naming the bad part.
   */
  public static List<IndexRange> parseList(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidValueException("index list is empty (expected e.g. 0,2-7,9)");
    }
    List<IndexRange> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ',') {
        out.add(parseOne(text.substring(start, i)));
        start = i + 1;
      }
    }
    return List.copyOf(out);
  }

  private static IndexRange parseOne(String item) {
    if (item.isEmpty()) {
      throw new InvalidValueException("empty entry in index list (expected e.g. 0,2-7,9)");
    }
    int dash = item.indexOf('-');
    if (dash < 0) {
      return single(index(item, item));
    }
    if (item.indexOf('-', dash + 1) >= 0 || dash == 0 || dash == item.length() - 1) {
      throw new InvalidValueException(
          "range " + InvalidValueException.quote(item) + " is malformed (expected first-last)");
    }
    int first = index(item.substring(0, dash), item);
    int last = index(item.substring(dash + 1), item);
    return new IndexRange(first, last);
  }

  private static int index(String digits, String item) {
    if (digits.length() > 9) {
      throw new InvalidValueException(
          "index "
              + InvalidValueException.quote(digits)
              + " in "
              + describe(item)
              + " is too large");
    }
    int v = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new InvalidValueException(
            "index "
                + InvalidValueException.quote(digits)
                + " in "
                + describe(item)
                + " is not a decimal number");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String describe(String item) {
    return item.indexOf('-') >= 0 ? "range " + InvalidValueException.quote(item) : "index list";
  }

  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
