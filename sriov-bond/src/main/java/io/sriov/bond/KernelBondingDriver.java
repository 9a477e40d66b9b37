package io.sriov.bond;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kernel's bonding driver, as the kernel exposes it:
 *
 * <ul>
 *   <li>loaded or built in: {@code /sys/class/net/bonding_masters} exists (the driver creates it in
 *       every network namespace);
 *   <li>otherwise loadable on demand: an {@code RTM_NEWLINK} of kind {@code bond} makes the kernel
 *       run {@code modprobe rtnl-link-bond} ({@code request_module("rtnl-link-%s")}), which works
 *       when the kernel has module support ({@code /proc/modules} exists), loading is not disabled
 *       ({@code /proc/sys/kernel/modules_disabled} is not 1) and a module has that alias in {@code
 *       /lib/modules/$(uname -r)/modules.alias} ({@code alias rtnl-link-bond bonding}, written by
 *       depmod from the module's {@code MODULE_ALIAS_RTNL_LINK("bond")}).
 * </ul>
 *
 * <p>Shell equivalent: {@code test -e /sys/class/net/bonding_masters || modprobe -n -q bonding}.
 */
final class KernelBondingDriver implements BondingDriver {
  static final String ALIAS = "alias rtnl-link-bond ";

  private final Path sys;
  private final Path proc;
  private final Path modules;

  /**
   * @param sys {@code /sys}
   * @param proc {@code /proc}
   * @param modules {@code /lib/modules}
   */
  KernelBondingDriver(Path sys, Path proc, Path modules) {
    this.sys = Objects.requireNonNull(sys, "sys");
    this.proc = Objects.requireNonNull(proc, "proc");
    this.modules = Objects.requireNonNull(modules, "modules");
  }

  @Override
  public Optional<String> unavailable() {
    Path masters = sys.resolve("class/net/bonding_masters");
    if (Files.exists(masters)) {
      return Optional.empty();
    }
    return whyNotLoadable()
        .map(
            why ->
                "the bonding driver is not available: it is not loaded (no "
                    + masters
                    + ") and "
                    + why);
  }

  private Optional<String> whyNotLoadable() {
    Path procModules = proc.resolve("modules");
    if (!Files.exists(procModules)) {
      return Optional.of("this kernel cannot load modules (no " + procModules + ")");
    }
    Path disabled = proc.resolve("sys/kernel/modules_disabled");
    if (read(disabled).map(String::strip).filter("1"::equals).isPresent()) {
      return Optional.of("module loading is disabled (" + disabled + " is 1)");
    }
    Path osrelease = proc.resolve("sys/kernel/osrelease");
    Optional<String> release = read(osrelease).map(String::strip).filter(r -> !r.isEmpty());
    if (release.isEmpty() || release.get().contains("/") || release.get().startsWith(".")) {
      return Optional.of("the kernel release is unknown (no usable " + osrelease + ")");
    }
    Path alias = modules.resolve(release.get()).resolve("modules.alias");
    if (!Files.exists(alias)) {
      return Optional.of("no module can be found for it (no " + alias + ")");
    }
    try (Stream<String> lines = Files.lines(alias)) {
      if (lines.anyMatch(l -> l.startsWith(ALIAS))) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read " + alias, e);
    }
    return Optional.of("no module provides it (no \"" + ALIAS.strip() + "\" in " + alias + ")");
  }

  private static Optional<String> read(Path p) {
    try {
      return Optional.of(Files.readString(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("read " + p, e);
    }
  }
}
