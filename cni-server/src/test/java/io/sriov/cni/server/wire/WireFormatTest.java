package io.sriov.cni.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The C header of the shim and {@link WireFormat} state the same protocol. */
class WireFormatTest {
  private static final Pattern DEFINE =
      Pattern.compile("^#define (CNI_WIRE_[A-Z_]+) (\"[^\"]*\"|[0-9]+)$", Pattern.MULTILINE);

  @Test
  void theShimsHeaderHasEveryJavaValue() throws IOException {
    String header = Files.readString(Path.of("src/main/c/cni_wire.h"));
    Map<String, String> c = new LinkedHashMap<>();
    Matcher m = DEFINE.matcher(header);
    while (m.find()) {
      c.put(m.group(1), m.group(2));
    }
    Map<String, String> java = new LinkedHashMap<>();
    java.put("CNI_WIRE_MAGIC", "\"" + WireFormat.MAGIC + "\"");
    java.put("CNI_WIRE_VERSION", "" + WireFormat.VERSION);
    java.put("CNI_WIRE_HEADER_SIZE", "" + WireFormat.HEADER_SIZE);
    java.put("CNI_WIRE_KIND_REQUEST", "" + WireFormat.Kind.REQUEST.code());
    java.put("CNI_WIRE_KIND_ACCEPTED", "" + WireFormat.Kind.ACCEPTED.code());
    java.put("CNI_WIRE_KIND_ANSWER", "" + WireFormat.Kind.ANSWER.code());
    java.put("CNI_WIRE_MAX_NAME", "" + WireFormat.MAX_NAME);
    java.put("CNI_WIRE_MAX_ENV_ENTRIES", "" + WireFormat.MAX_ENV_ENTRIES);
    java.put("CNI_WIRE_MAX_ENV_ENTRY", "" + WireFormat.MAX_ENV_ENTRY);
    java.put("CNI_WIRE_MAX_STDIN", "" + WireFormat.MAX_STDIN);
    java.put("CNI_WIRE_MAX_REQUEST_BODY", "" + WireFormat.MAX_REQUEST_BODY);
    java.put("CNI_WIRE_MAX_STDOUT", "" + WireFormat.MAX_STDOUT);
    java.put("CNI_WIRE_MAX_STDERR", "" + WireFormat.MAX_STDERR);
    java.put("CNI_WIRE_MAX_ANSWER_BODY", "" + WireFormat.MAX_ANSWER_BODY);
    java.put("CNI_WIRE_ENV_PREFIX", "\"" + WireFormat.ENV_PREFIX + "\"");
    assertThat(c).isEqualTo(java);
  }

  @Test
  void theLargestRequestFitsTheBodyBound() {
    long largest =
        1
            + WireFormat.MAX_NAME
            + 2
            + (long) WireFormat.MAX_ENV_ENTRIES * (4 + WireFormat.MAX_ENV_ENTRY)
            + 4
            + WireFormat.MAX_STDIN;
    assertThat(largest).isLessThanOrEqualTo(WireFormat.MAX_REQUEST_BODY);
  }
}
