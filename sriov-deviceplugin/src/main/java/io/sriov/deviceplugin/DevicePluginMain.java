package io.sriov.deviceplugin;

import io.sriov.deviceplugin.node.SysfsNodeFactory;
import java.util.Arrays;

/** The {@code sriov-device-plugin} executable: {@link DevicePluginApp} on the real node. */
public final class DevicePluginMain {
  private DevicePluginMain() {}

  public static void main(String[] args) {
    int code =
        DevicePluginApp.run(Arrays.asList(args), System.out, System.err, new SysfsNodeFactory());
    // Always exit with the code: a thread the plugin left behind must not keep the JVM up.
    System.exit(code);
  }
}
