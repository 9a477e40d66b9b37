package io.sriov.core.resource;

import java.util.Locale;
import java.util.Objects;

/**
 * The environment variables the device plugin sets in a container for one resource, named as
 * upstream names them: {@code "PCIDEVICE_" + prefix + "_" + name}, upper-cased, with every {@code
 * .} replaced by {@code _}. Nothing else is replaced: a hyphen in the resource name stays (so
 * {@code intel.com/sriov-a} gives {@code PCIDEVICE_INTEL_COM_SRIOV-A}, which a shell cannot read
 * but a program can, exactly as upstream).
 *
 * @param devices the variable holding the comma-separated device IDs
 * @param info the variable holding the per-device JSON ({@code ..._INFO})
 */
public record EnvNames(String devices, String info) {

  public EnvNames {
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(info, "info");
  }

  public static EnvNames of(ResourcePrefix prefix, ResourceName name) {
    String base =
        ("PCIDEVICE_" + prefix.value() + "_" + name.value())
            .toUpperCase(Locale.ROOT)
            .replace('.', '_');
    return new EnvNames(base, base + "_INFO");
  }
}
