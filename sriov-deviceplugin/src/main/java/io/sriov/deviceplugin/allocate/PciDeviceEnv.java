package io.sriov.deviceplugin.allocate;

import java.util.Locale;

/** Names of the env vars Allocate sets, as upstream builds them. */
public final class PciDeviceEnv {
  private PciDeviceEnv() {}

  /**
   * {@code PCIDEVICE_<PREFIX>_<NAME>}: upper-cased, {@code .} becomes {@code _}, hyphens are kept
   * ({@code intel.com}, {@code sriov-a} gives {@code PCIDEVICE_INTEL_COM_SRIOV-A}).
   */
  public static String name(String prefix, String resourceName) {
    return ("PCIDEVICE_" + prefix + "_" + resourceName).toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
