package io.sriov.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The project's one Jackson set-up for JSON trees (netconfs, CNI results, state files): read bytes
 * into a {@link JsonNode}, write a tree back as compact bytes. Values are bound from the tree with
 * {@link JsonInput}, never with data binding, so one default {@link ObjectMapper} serves every
 * caller.
 *
 * <p>The mapper is built once per JVM, on first use (an {@code ObjectMapper} loads and initialises
 * some 250 classes): a CNI plugin call that reads no JSON, such as {@code VERSION}, never builds
 * it, and a call that does builds one, not one per class that parses. Thread-safe (Jackson's mapper
 * is, once configured, and this one is never reconfigured).
 */
public final class JsonTrees {
  private JsonTrees() {}

  /** Initialisation on demand: the mapper exists once the first caller needs it. */
  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /**
   * The tree of a JSON document; a {@code MissingNode} for empty input (no value at all).
   *
   * @throws IOException not JSON (Jackson's message names the position)
   */
  public static JsonNode read(byte[] json) throws IOException {
    return Holder.MAPPER.readTree(json);
  }

  /** The tree as compact JSON (UTF-8). */
  public static byte[] write(JsonNode tree) {
    try {
      return Holder.MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
