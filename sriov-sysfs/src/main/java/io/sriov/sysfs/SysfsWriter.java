package io.sriov.sysfs;

import io.sriov.os.Errno;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes one value to one sysfs attribute, as {@code echo -n <value> > <file>} would, in a single
 * {@code write(2)}. Implemented by {@link KernelSysfsWriter} (the real kernel) and by the simulated
 * kernel ({@code io.sriov.simulator.kernel.SimulatedKernel}).
 */
public interface SysfsWriter {

  /**
   * Writes {@code value} to {@code file}, a path obtained from {@link SysfsRoot}.
   *
   * @param timeout the longest the caller waits; a driver that does not answer in time gives {@link
   *     Errno#ETIMEDOUT} (the write itself may still complete later)
   * @throws SysfsException with the kernel's errno when the write is refused
   */
  void write(Path file, String value, Duration timeout) throws SysfsException;
}
