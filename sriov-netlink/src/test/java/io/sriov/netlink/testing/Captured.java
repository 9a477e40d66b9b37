package io.sriov.netlink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Loads the captured kernel replies and iproute2 requests under src/test/resources/captured. */
public final class Captured {
  private Captured() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Captured.class.getResourceAsStream("/captured/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no captured resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A captured datagram stream as a host-order buffer (position 0). */
  public static ByteBuffer buffer(String name) {
    return wrap(bytes(name));
  }

  public static ByteBuffer wrap(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
  }

  /** A {@code *.request.hex} file captured from iproute2 with strace. */
  public static byte[] hex(String name) {
    return HexFormat.of().parseHex(new String(bytes(name), StandardCharsets.US_ASCII).strip());
  }

  public static byte[] toBytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
