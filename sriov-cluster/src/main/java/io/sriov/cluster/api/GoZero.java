package io.sriov.cluster.api;

import java.util.List;
import java.util.Map;

/**
 * Go's zero values for absent fields: upstream's types are Go structs, so an absent string is
 * {@code ""}, an absent list or map is empty. The records normalise {@code null} (absent in the
 * JSON) to these in their constructors, and {@code @JsonInclude(NON_DEFAULT)} leaves them out again
 * when writing, like Go's {@code omitempty}.
 */
final class GoZero {
  private GoZero() {}

  static String string(String s) {
    return s == null ? "" : s;
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  static <K, V> Map<K, V> map(Map<K, V> m) {
    return m == null ? Map.of() : Map.copyOf(m);
  }
}
