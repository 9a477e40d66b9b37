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
    if (code != 0) {
      System.exit(code);
    }
  }
}
