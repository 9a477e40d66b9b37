package io.sriov.cni.plugin;

import java.time.Duration;
import java.util.Optional;

/**
 * Every {@link IpamDelegateTest} on the fallback where libc is not bound: the JDK's ProcessBuilder.
 */
class IpamDelegateFallbackTest extends IpamDelegateTest {
  @Override
  IpamDelegate delegate(Duration timeout) {
    return new IpamDelegate(timeout, Optional.empty());
  }

  @Override
  boolean spawned() {
    return false;
  }
}
