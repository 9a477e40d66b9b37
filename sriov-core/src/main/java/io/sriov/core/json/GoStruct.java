package io.sriov.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A JSON object's keys bound to a fixed set of field names the way Go's {@code encoding/json} binds
 * them to a struct, so that a document upstream's Go code accepts means the same here:
 *
 * <ul>
 *   <li>a key matches a field case-insensitively, an exact spelling winning over a case-insensitive
 *       one ({@code IsRdma} and {@code isRdma} are the same field);
 *   <li>a key given twice: the last one counts;
 *   <li>{@code null} is the same as leaving the key out (also when it follows an earlier value);
 *   <li>a key that matches no field goes to an {@link UnknownKey}, which may warn or throw.
 * </ul>
 *
 * Getters of absent fields return {@link Optional#empty()}, {@code false} or an empty list.
 */
public final class GoStruct {
  private final Map<String, JsonInput> fields;

  private GoStruct(Map<String, JsonInput> fields) {
    this.fields = Collections.unmodifiableMap(fields);
  }

  static GoStruct bind(JsonInput object, List<String> names, UnknownKey unknown) {
    Map<String, JsonInput> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.node().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonInput value = object.child(e.getKey(), e.getValue());
      Optional<String> field = match(e.getKey(), names);
      if (field.isEmpty()) {
        unknown.found(value.path(), e.getKey());
      } else if (value.node().isNull()) {
        out.remove(field.get());
      } else {
        out.put(field.get(), value);
      }
    }
    return new GoStruct(out);
  }

  /**
   * Go's {@code encoding/json} field rule: the field spelled exactly as {@code key}, else the first
   * one equal ignoring case.
   */
  public static Optional<String> match(String key, Collection<String> names) {
    for (String n : names) {
      if (n.equals(key)) {
        return Optional.of(n);
      }
    }
    for (String n : names) {
      if (n.equalsIgnoreCase(key)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** The field's value under its canonical name, when present and not {@code null}. */
  public Optional<JsonInput> get(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  /** The present fields by canonical name, in document order. */
  public Map<String, JsonInput> present() {
    return fields;
  }

  /** A string field. */
  public Optional<String> string(String field) {
    return get(field).map(JsonInput::string);
  }

  /** A boolean field; absent is {@code false}, as Go's zero value. */
  public boolean flag(String field) {
    return get(field).map(JsonInput::bool).orElse(false);
  }

  /** A string-array field, each item through {@code parser}; absent is an empty list. */
  public <T> List<T> list(String field, Function<String, T> parser) {
    return get(field).map(v -> v.stringsAs(parser)).orElse(List.of());
  }
}
