package io.sriov.cluster.render;

import java.util.OptionalInt;

/**
 * One {@code nicSelector.pfNames} entry: a PF name (or altname), optionally with a VF range {@code
 * name#first-last}. Parsing follows upstream's webhook, with its messages.
 *
 * @param name the PF name or altname
 * @param first the range's first VF index, empty without a range
 * @param last the range's last VF index, empty without a range
 */
public record PfNameSelector(String name, OptionalInt first, OptionalInt last) {

  /**
   * Parses {@code entry} of a policy with {@code numVfs} VFs.
   *
   * @throws PolicyException with upstream's webhook message when the range is malformed
   */
  public static PfNameSelector parse(String entry, int numVfs) {
    if (!entry.contains("#")) {
      return new PfNameSelector(entry, OptionalInt.empty(), OptionalInt.empty());
    }
    String[] fields = entry.split("#", -1);
    if (fields.length != 2) {
      throw new PolicyException(
          "failed to parse "
              + entry
              + " PF name in nicSelector, probably incorrect separator character usage");
    }
    String[] range = fields[1].split("-", -1);
    if (range.length != 2) {
      throw new PolicyException(
          "failed to parse "
              + entry
              + " PF name nicSelector, probably incorrect range character usage");
    }
    int first;
    int last;
    try {
      first = Integer.parseInt(range[0]);
    } catch (NumberFormatException e) {
      throw new PolicyException(
          "failed to parse " + entry + " PF name nicSelector, start range is incorrect");
    }
    try {
      last = Integer.parseInt(range[1]);
    } catch (NumberFormatException e) {
      throw new PolicyException(
          "failed to parse " + entry + " PF name nicSelector, end range is incorrect");
    }
    if (last < first) {
      throw new PolicyException(
          "failed to parse "
              + entry
              + " PF name nicSelector, end range shall not be smaller than start range");
    }
    if (!(last < numVfs)) {
      throw new PolicyException(
          "failed to parse "
              + entry
              + " PF name nicSelector, end range exceeds the maximum VF index ");
    }
    return new PfNameSelector(fields[0], OptionalInt.of(first), OptionalInt.of(last));
  }

  /** The name part of {@code entry}, without any {@code #range} (never fails). */
  public static String nameOf(String entry) {
    int hash = entry.indexOf('#');
    return hash < 0 ? entry : entry.substring(0, hash);
  }

  public boolean hasRange() {
    return first.isPresent();
  }
}
