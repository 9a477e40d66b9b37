package io.sriov.deviceplugin.kubelet;

/** How a plugin makes itself known to kubelet. */
public enum RegistrationMode {
  /**
   * The socket is placed in {@code plugins_registry}; kubelet's plugin watcher finds it and calls
   * {@code GetInfo} then {@code NotifyRegistrationStatus} on it.
   */
  WATCHER,
  /** The plugin calls {@code Register} on {@code device-plugins/kubelet.sock}. */
  LEGACY
}
