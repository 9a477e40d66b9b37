package io.sriov.daemon.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.List;

/**
 * Jackson bindings of {@link NodeStateSpec} and {@link NodeStateStatus}, so that any Jackson mapper
 * (the Kubernetes client's included) reads and writes them exactly as {@link NodeStateCodec} does:
 * upstream's JSON names, Go's {@code omitempty}, strict {@code spec}. The records name these
 * classes in their {@code @JsonSerialize}/{@code @JsonDeserialize}; the wire format itself stays in
 * the codec.
 */
public final class NodeStateJson {
  private NodeStateJson() {}

  /** Writes a {@link NodeStateSpec} through {@link NodeStateCodec}. */
  public static final class SpecSerializer extends JsonSerializer<NodeStateSpec> {
    @Override
    public void serialize(NodeStateSpec value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(NodeStateCodec.specTree(value));
    }
  }

  /** Reads a {@link NodeStateSpec} through {@link NodeStateCodec} (unknown fields rejected). */
  public static final class SpecDeserializer extends JsonDeserializer<NodeStateSpec> {
    @Override
    public NodeStateSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return NodeStateCodec.spec(p.readValueAsTree());
    }

    @Override
    public NodeStateSpec getNullValue(DeserializationContext ctxt) {
      return NodeStateSpec.of(List.of());
    }
  }

  /** Writes a {@link NodeStateStatus} through {@link NodeStateCodec}. */
  public static final class StatusSerializer extends JsonSerializer<NodeStateStatus> {
    @Override
    public void serialize(NodeStateStatus value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(NodeStateCodec.statusTree(value));
    }
  }

  /** Reads a {@link NodeStateStatus} through {@link NodeStateCodec}. */
  public static final class StatusDeserializer extends JsonDeserializer<NodeStateStatus> {
    @Override
    public NodeStateStatus deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      JsonNode tree = p.readValueAsTree();
      return NodeStateCodec.status(tree);
    }

    @Override
    public NodeStateStatus getNullValue(DeserializationContext ctxt) {
      return NodeStateStatus.EMPTY;
    }
  }
}
