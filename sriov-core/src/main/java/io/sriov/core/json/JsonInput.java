package io.sriov.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One value of a JSON (or YAML) document and its path, with typed getters that fail with a {@link
 * JsonBindException} naming the path: {@code resourceList[0].selectors.vendors[0]: expected a
 * string, got a number}. Objects bind to a known set of fields the way Go's {@code encoding/json}
 * binds a struct ({@link #struct}).
 *
 * @param path {@code a.b[2].c}; empty for the document itself
 * @param node the value (never Java {@code null}; JSON {@code null} is a {@code NullNode})
 */
public record JsonInput(String path, JsonNode node) {

  public JsonInput {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(node, "node");
  }

  /** The document's top value (empty path). */
  public static JsonInput root(JsonNode node) {
    return new JsonInput("", node);
  }

  /** The value of {@code key} in this object, with its path; no case folding here. */
  public JsonInput child(String key, JsonNode value) {
    return new JsonInput(path.isEmpty() ? key : path + "." + key, value);
  }

  /**
   * Binds this object's keys to {@code fields} as Go's {@code encoding/json} binds them to a
   * struct: see {@link GoStruct}.
   *
   * @param what the expected object, for the error when this is not one ({@code "a resource
   *     object"})
   * @throws JsonBindException when this is not an object, or {@code unknown} throws
   */
  public GoStruct struct(String what, List<String> fields, UnknownKey unknown) {
    requireObject(what);
    return GoStruct.bind(this, fields, unknown);
  }

  /**
   * The object's own keys in document order, without case folding or {@code null} handling (for
   * maps whose keys are data, like {@code additionalInfo}).
   */
  public Map<String, JsonInput> entries(String what) {
    requireObject(what);
    Map<String, JsonInput> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), child(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * The array's items, each with its path ({@code selectors[1]}).
   *
   * @param what the expected array, for the error when this is not one ({@code "an array of
   *     strings"})
   */
  public List<JsonInput> items(String what) {
    if (!node.isArray()) {
      throw fail("expected " + what + ", got " + kind());
    }
    List<JsonInput> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(new JsonInput(path + "[" + i + "]", node.get(i)));
    }
    return out;
  }

  /** The string value; a number or a boolean is not a string (Go does not convert either). */
  public String string() {
    if (!node.isTextual()) {
      throw fail("expected a string, got " + kind());
    }
    return node.textValue();
  }

  /**
   * An integer that fits Java's {@code int}, as Go binds a JSON number to an {@code int} field: a
   * fraction, an exponent form, a string or a boolean is refused.
   */
  public int integer() {
    if (!node.isIntegralNumber()) {
      throw fail("expected an integer, got " + (node.isNumber() ? "the number " + node : kind()));
    }
    if (!node.canConvertToInt()) {
      throw fail("integer " + node + " out of range");
    }
    return node.intValue();
  }

  /** {@code true} or {@code false}. */
  public boolean bool() {
    if (!node.isBoolean()) {
      throw fail("expected true or false, got " + kind());
    }
    return node.booleanValue();
  }

  /**
   * The string value through {@code parser}; an {@link IllegalArgumentException} from the parser (a
   * value type's validation) becomes a {@link JsonBindException} at this path with its message.
   */
  public <T> T as(Function<String, T> parser) {
    return parse(string(), parser);
  }

  /** An array of strings, each through {@code parser} (see {@link #as}). */
  public <T> List<T> stringsAs(Function<String, T> parser) {
    List<JsonInput> items = items("an array of strings");
    List<T> out = new ArrayList<>(items.size());
    for (JsonInput item : items) {
      out.add(item.as(parser));
    }
    return out;
  }

  /** {@code text} through {@code parser}, its {@link IllegalArgumentException} placed here. */
  public <T> T parse(String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
  }

  public boolean isObject() {
    return node.isObject();
  }

  public boolean isArray() {
    return node.isArray();
  }

  /** An error at this value's path. */
  public JsonBindException fail(String problem) {
    return new JsonBindException(path, problem);
  }

  /** What the value is, for messages: {@code an object}, {@code a string}, {@code null}, ... */
  public String kind() {
    return kind(node);
  }

  /** What {@code n} is, for messages: {@code an object}, {@code a string}, {@code null}, ... */
  public static String kind(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isNull()) {
      return "null";
    }
    return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
  }

  private void requireObject(String what) {
    if (!node.isObject()) {
      throw fail("expected " + what + ", got " + kind());
    }
  }
}
