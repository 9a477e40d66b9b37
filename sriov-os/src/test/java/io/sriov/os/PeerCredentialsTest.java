package io.sriov.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On this machine, with {@code java.base/sun.nio.ch} exported to the tests as to the daemon (the
 * module's surefire argLine): the peer's uid from {@code getsockopt(SO_PEERCRED)} is the JDK's.
 */
class PeerCredentialsTest {
  @TempDir Path dir;

  @Test
  void isAvailableWhereTheDescriptorIsExported() {
    assertThat(PeerCredentials.unavailableReason()).isEmpty();
    assertThat(PeerCredentials.available()).isPresent();
  }

  /** A Unix socket listening at {@code dir/s}. */
  private ServerSocketChannel listening() throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
    return server;
  }

  @Test
  void thePeersUidIsTheOneTheJdkReportsOnBothEnds() throws Exception {
    PeerCredentials creds = PeerCredentials.available().orElseThrow();
    try (ServerSocketChannel server = listening()) {
      try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        int uid = Libc.get().geteuid();
        assertThat(creds.uid(accepted)).isEqualTo(uid);
        assertThat(creds.uid(client)).isEqualTo(uid);
        // the JDK's principal (compared by uid) for the same number
        assertThat(accepted.getOption(ExtendedSocketOptions.SO_PEERCRED).user())
            .isEqualTo(
                FileSystems.getDefault()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(Integer.toString(uid)));
      }
    }
  }

  @Test
  void aClosedChannelFailsWithTheErrno() throws Exception {
    PeerCredentials creds = PeerCredentials.available().orElseThrow();
    try (ServerSocketChannel server = listening()) {
      SocketChannel client = SocketChannel.open(server.getLocalAddress());
      client.close();
      assertThatThrownBy(() -> creds.uid(client))
          .isInstanceOf(SyscallException.class)
          .hasMessage("getsockopt SO_PEERCRED: EBADF (Bad file descriptor)");
    }
  }
}
