package io.sriov.cni.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** Who is at the other end of a connection: the kernel's {@code SO_PEERCRED}, root only. */
final class Peers {
  private static final UserPrincipal ROOT = root();

  private Peers() {}

  /** Empty when the peer runs as root (uid 0); otherwise why the call is refused. */
  static Optional<String> refusal(SocketChannel ch) {
    UnixDomainPrincipal peer;
    try {
      peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.of("the CNI server cannot tell who the client is (SO_PEERCRED: " + e + ")");
    }
    if (peer.user().equals(ROOT)) {
      return Optional.empty();
    }
    return Optional.of(
        "the CNI server accepts calls from root only; refused a client running as user "
            + peer.user().getName());
  }

  private static UserPrincipal root() {
    try {
      // "0" is looked up as a name first, then taken as the uid: uid 0 whatever its name.
      return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
    } catch (IOException e) {
      throw new IllegalStateException("cannot look up uid 0: " + e, e);
    }
  }
}
