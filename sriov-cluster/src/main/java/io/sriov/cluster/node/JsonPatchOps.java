package io.sriov.cluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON Patch (RFC 6902) setting one section of an object ({@code /spec}, {@code /status}): member
 * by member ({@code add} for new or changed members, whole values, arrays included; {@code remove}
 * for dropped ones), prefixed by a {@code replace} of {@code /metadata/resourceVersion}, which the
 * API server treats as a precondition (409 when stale).
 *
 * <p>JSON Patch rather than a merge patch: both replace arrays whole by contract, but fabric8's
 * mock API server merges arrays of a merge patch element-wise, unlike a real one.
 */
final class JsonPatchOps {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonPatchOps() {}

  /** The ops taking section {@code name} from {@code from} to {@code to}; empty when equal. */
  static ArrayNode diff(String name, JsonNode from, JsonNode to) {
    ArrayNode ops = NODES.arrayNode();
    String base = "/" + name;
    if (from == null || !from.isObject()) {
      if (!to.isEmpty()) {
        ops.add(op("add", base, to));
      }
      return ops;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = to.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().equals(from.get(e.getKey()))) {
        ops.add(op("add", base + "/" + escape(e.getKey()), e.getValue()));
      }
    }
    for (Iterator<String> it = from.fieldNames(); it.hasNext(); ) {
      String member = it.next();
      if (!to.has(member)) {
        ops.add(NODES.objectNode().put("op", "remove").put("path", base + "/" + escape(member)));
      }
    }
    return ops;
  }

  /** {@code ops} behind a resourceVersion precondition. */
  static ArrayNode withResourceVersion(String resourceVersion, ArrayNode ops) {
    ArrayNode out = NODES.arrayNode();
    out.add(op("replace", "/metadata/resourceVersion", NODES.textNode(resourceVersion)));
    out.addAll(ops);
    return out;
  }

  private static ObjectNode op(String op, String path, JsonNode value) {
    ObjectNode o = NODES.objectNode().put("op", op).put("path", path);
    o.set("value", value);
    return o;
  }

  /** RFC 6901 escaping of a member name in a path. */
  static String escape(String member) {
    return member.replace("~", "~0").replace("/", "~1");
  }
}
