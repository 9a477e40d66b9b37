package io.sriov.deviceplugin.app;

import java.util.Arrays;

/**
 * The {@code sriov-device-plugin} executable: {@link DevicePluginApp} on the node the flags name.
 */
public final class DevicePluginMain {
  private DevicePluginMain() {}

  public static void main(String[] args) {
    int code =
        DevicePluginApp.run(Arrays.asList(args), System.out, System.err, NodeFactory.DEFAULT);
    // Always exit with the code: a thread the plugin left behind must not keep the JVM up.
    System.exit(code);
  }
}
