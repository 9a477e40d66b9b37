package io.sriov.cni.server;

import io.sriov.os.PeerCredentials;
import io.sriov.os.SyscallException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is at the other end of a connection: the kernel's {@code SO_PEERCRED}, root only. The uid is
 * read with {@code getsockopt} ({@link PeerCredentials}) where the daemon exports the channel's
 * descriptor to it; else, and for a refusal's message, through the JDK's option, which also looks
 * the user and group names up ({@code /etc/passwd}, {@code /etc/group}: milliseconds per call on a
 * slow root filesystem).
 */
final class Peers {
  private static final UserPrincipal ROOT = root();

  private Peers() {}

  /** How peers are checked here, for the server's start line. */
  static String method() {
    return PeerCredentials.available().isPresent()
        ? "getsockopt(SO_PEERCRED)"
        : "the JDK's SO_PEERCRED (" + PeerCredentials.unavailableReason().orElse("") + ")";
  }

  /** Empty when the peer runs as root (uid 0); otherwise why the call is refused. */
  static Optional<String> refusal(SocketChannel ch) {
    Optional<PeerCredentials> creds = PeerCredentials.available();
    if (creds.isPresent()) {
      try {
        if (creds.get().uid(ch) == 0) {
          return Optional.empty();
        }
      } catch (SyscallException e) {
        return Optional.of("the CNI server cannot tell who the client is (" + e.getMessage() + ")");
      }
    }
    // not root (named in the refusal), or no descriptor to ask: the JDK's option
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
