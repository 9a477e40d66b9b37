package io.sriov.netlink.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.testing.Prerequisites;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Uevents from the real kernel: writing {@code change} to a device's {@code uevent} file makes the
 * kernel emit a synthetic change event for it (what {@code udevadm trigger --action=change} does).
 */
class UeventMonitorIT {
  private static final Path PCI_DEVICES = Path.of("/sys/bus/pci/devices");

  private static PciAddress firstPciDevice() throws Exception {
    Prerequisites.require(
        Files.isDirectory(PCI_DEVICES),
        "a PCI bus in /sys",
        PCI_DEVICES + " does not exist (no PCI devices in this machine or container)");
    try (Stream<Path> s = Files.list(PCI_DEVICES)) {
      Optional<PciAddress> first =
          s.map(p -> p.getFileName().toString())
              .filter(PciAddress::isValid)
              .sorted()
              .findFirst()
              .map(PciAddress::parse);
      Prerequisites.require(first.isPresent(), "a PCI device", "no device in " + PCI_DEVICES);
      return first.get();
    }
  }

  @Test
  void deliversTheKernelsPciChangeEventAndFiltersOtherSubsystems() throws Exception {
    Kernel.require();
    PciAddress pci = firstPciDevice();
    Path netLo = Path.of("/sys/class/net/lo/uevent");
    BlockingQueue<DeviceEvent> q = new LinkedBlockingQueue<>();
    try (UeventMonitor mon = UeventMonitor.start();
        DeviceEventMonitor.Subscription sub = mon.subscribe(q::add)) {
      // A net event first: kernel order means it was handled (and dropped) before the PCI one.
      if (Files.isWritable(netLo)) {
        Files.writeString(netLo, "change");
      }
      long t0 = System.nanoTime();
      Files.writeString(PCI_DEVICES.resolve(pci.toString()).resolve("uevent"), "change");
      DeviceEvent e = null;
      long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
      while (e == null && System.nanoTime() < deadline) {
        DeviceEvent next = q.poll(100, TimeUnit.MILLISECONDS);
        if (next != null
            && next.action() == DeviceEvent.Action.CHANGE
            && next.pciAddress().equals(Optional.of(pci))) {
          e = next;
        } else if (next != null) {
          assertThat(next.subsystem()).as("only pci events are delivered").isEqualTo("pci");
        }
      }
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
      assertThat(e).as("change event for %s within 10 s", pci).isNotNull();
      System.out.printf("uevent latency (write to delivery) pci=%s %d us%n", pci, micros);
      assertThat(e.subsystem()).isEqualTo("pci");
      assertThat(e.devpath()).endsWith("/" + pci);
      assertThat(q).allSatisfy(x -> assertThat(x.subsystem()).isEqualTo("pci"));
      assertThat(mon.isRunning()).isTrue();
      assertThat(mon.malformedCount()).isZero();
    }
  }

  @Test
  void closeIsIdempotentAndStopsTheThread() throws Exception {
    Kernel.require();
    UeventMonitor mon = UeventMonitor.start();
    assertThat(mon.isRunning()).isTrue();
    mon.close();
    assertThat(mon.isRunning()).isFalse();
    mon.close();
  }
}
