package io.sriov.sysfs.pci;

/**
 * Every case of {@link DiscoveryEdgeCaseTest} again with the portable NIO reader, which the walk
 * uses where libc cannot be bound (or with {@code -Dsriov.sysfs.reader=nio}): same devices, same
 * skip reasons.
 */
class DiscoveryEdgeCaseNioTest extends DiscoveryEdgeCaseTest {
  @Override
  SysfsReader reader() {
    return new NioSysfsReader();
  }
}
