package io.sriov.cni.server.testing;

import io.sriov.cni.server.wire.CniAnswer;
import io.sriov.cni.server.wire.CniCall;
import io.sriov.cni.server.wire.Frames;
import io.sriov.cni.server.wire.WireFormat.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/** The shim's side of the protocol in Java, for the server's tests. */
public final class WireClient {
  private WireClient() {}

  /** The server's reply: whether it sent accepted first, and the answer. */
  public record Reply(boolean accepted, CniAnswer answer) {
    public String stdout() {
      return new String(answer.stdout(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends the call and reads the reply. As the shim does, a failed send is not final: a server that
   * refuses (busy, a non-root peer) answers and closes without reading the request, so the send may
   * meet a closed socket while the refusal already waits to be read.
   */
  public static Reply call(Path socket, CniCall call) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      IOException sendFailure = null;
      try {
        Frames.writeRequest(Channels.newOutputStream(ch), call);
      } catch (IOException e) {
        sendFailure = e;
      }
      try {
        return read(Channels.newInputStream(ch));
      } catch (IOException e) {
        if (sendFailure != null) {
          e.addSuppressed(sendFailure);
        }
        throw e;
      }
    }
  }

  /** Sends raw bytes (a malformed request) and reads the reply. */
  public static Reply raw(Path socket, byte[] bytes) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      Channels.newOutputStream(ch).write(bytes);
      ch.shutdownOutput();
      return read(Channels.newInputStream(ch));
    }
  }

  public static Reply read(InputStream in) throws IOException {
    Frames.Frame first = Frames.readServerFrame(in).orElseThrow(() -> new IOException("no reply"));
    boolean accepted = first.kind() == Kind.ACCEPTED;
    Frames.Frame answer =
        accepted
            ? Frames.readServerFrame(in).orElseThrow(() -> new IOException("no answer"))
            : first;
    return new Reply(accepted, Frames.decodeAnswer(answer.body()));
  }

  /** A call of the test plugin: {@code CNI_COMMAND}, container ID, interface {@code net1}. */
  public static CniCall call(String plugin, String command, String containerId, String netconf) {
    return new CniCall(
        plugin,
        Map.of(
            "CNI_COMMAND",
            command,
            "CNI_CONTAINERID",
            containerId,
            "CNI_NETNS",
            "/var/run/netns/" + containerId,
            "CNI_IFNAME",
            "net1",
            "CNI_PATH",
            "/opt/cni/bin"),
        netconf.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
