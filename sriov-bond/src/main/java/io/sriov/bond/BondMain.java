package io.sriov.bond;

import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import java.io.IOException;
import java.security.SecureRandom;

/** {@code bin/cni/bond}, what a node installs as {@code /opt/cni/bin/bond}. */
public final class BondMain {
  private BondMain() {}

  public static void main(String[] args) throws IOException {
    BondPlugin plugin =
        new BondPlugin(
            KernelRtnlNamespaces.forOneCall(),
            new IpamDelegate(),
            BondPlugin.DEFAULT_STATE_DIR,
            new SecureRandom(),
            BondingDriver.kernel());
    System.exit(
        CniRunner.run(plugin, System.getenv(), System.in.readAllBytes(), System.out, System.err));
  }
}
