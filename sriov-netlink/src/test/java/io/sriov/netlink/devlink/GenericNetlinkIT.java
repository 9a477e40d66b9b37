package io.sriov.netlink.devlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generic netlink against the real kernel. devlink itself is verified on the VM (this kernel may
 * lack the family); here the client must agree with {@code genl ctrl} about whether it exists.
 */
class GenericNetlinkIT {

  @BeforeEach
  void root() {
    Kernel.require();
  }

  @Test
  void resolvesTheControllerAndReportsMissingFamiliesAsEmpty() throws Exception {
    try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
      GenlFamily ctrl = GenericNetlink.resolve(s, "nlctrl").orElseThrow();
      assertThat(ctrl.id()).isEqualTo(0x10);
      assertThat(GenericNetlink.resolve(s, "no-such-family")).isEmpty();
    }
  }

  @Test
  void devlinkAvailabilityAgreesWithGenlCtrl() throws Exception {
    boolean kernelHasDevlink = genlHas("devlink");
    var client = DevlinkClient.open();
    try {
      assertThat(client.isPresent()).isEqualTo(kernelHasDevlink);
      if (client.isPresent()) {
        assertThat(client.get().family().name()).isEqualTo("devlink");
        // every device the kernel lists has info or at least a handle
        assertThat(client.get().devices()).allSatisfy(h -> assertThat(h.bus()).isNotEmpty());
        // The real kernel's answer for a device that does not exist is "no such param".
        assertThat(client.get().boolParam(new DevlinkHandle("pci", "0000:ff:1f.7"), "enable_rdma"))
            .isEmpty();
      }
    } finally {
      client.ifPresent(DevlinkClient::close);
    }
  }

  private static boolean genlHas(String family) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("genl", "ctrl", "get", "name", family).start();
    p.getInputStream().readAllBytes();
    p.getErrorStream().readAllBytes();
    return p.waitFor() == 0;
  }
}
