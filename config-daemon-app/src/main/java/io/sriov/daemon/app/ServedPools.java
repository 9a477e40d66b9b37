package io.sriov.daemon.app;

import io.sriov.core.config.ResourceConfig;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.engine.ReconcileLoop;
import io.sriov.daemon.state.SavedNodeState;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.os.files.FileErrors;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows each pass of a serving daemon: the accepted desired state is saved for the boot
 * re-apply, and the embedded device plugin's pools are rendered again ({@link DesiredPools}) and
 * handed over when they changed (a new desired state, a PF that failed or recovered; the first
 * pools start the device plugin, none left stop it: {@link DevicePluginSlot}); a drift re-check
 * that changes no pool touches nothing. The VFs a pass removed on purpose (fewer VFs) are named to
 * the device plugin, which drops them at once rather than holding them as gone.
 */
final class ServedPools implements ReconcileLoop.Listener {
  private static final Logger log = LoggerFactory.getLogger(ServedPools.class);

  private final DevicePluginSlot plugin;
  private final ResourcePrefix prefix;
  private final SavedNodeState saved;
  private List<ResourceConfig> served;

  ServedPools(
      DevicePluginSlot plugin,
      ResourcePrefix prefix,
      SavedNodeState saved,
      List<ResourceConfig> served) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.saved = Objects.requireNonNull(saved, "saved");
    this.served = List.copyOf(served);
  }

  /** The pools the device plugin serves now. */
  synchronized List<ResourceConfig> served() {
    return served;
  }

  @Override
  public synchronized void passed(ReconcileLoop.Cause cause, NodeEngine.Pass pass) {
    if (pass.desired().isEmpty() || pass.report().isEmpty()) {
      return; // rejected: the last good state and its pools stay
    }
    save(saved, pass);
    // Before the pools: whichever of the device plugin's rescan and this update comes first, a VF
    // the pass removed leaves its pool at once (no gone retention for it).
    if (!pass.removedVfs().isEmpty()) {
      log.info("VFs removed on purpose vfs={}", pass.removedVfs());
      plugin.removedOnPurpose(pass.removedVfs());
    }
    DesiredPools.Pools pools =
        DesiredPools.render(
            pass.desired().get(), pass.report().get(), pass.state().status(), prefix);
    if (pools.pools().equals(served)) {
      return;
    }
    if (!pools.withoutDevices().isEmpty()) {
      log.warn("pools not served, none of their PFs applied: {}", pools.withoutDevices());
    }
    try {
      plugin.serve(pools.pools());
      served = pools.pools();
      log.info(
          "pools updated cause={} pools={}",
          cause,
          served.stream().map(ResourceConfig::fullName).toList());
    } catch (PlanException e) {
      log.error("device plugin refused the pools error=\"{}\"", e.getMessage());
    }
  }

  /** Saves the pass's accepted desired state for the boot re-apply; a failure is logged. */
  static void save(SavedNodeState saved, NodeEngine.Pass pass) {
    if (pass.desired().isEmpty()) {
      return;
    }
    try {
      saved.save(pass.state());
    } catch (IOException e) {
      log.error(
          "cannot save the desired state for the boot re-apply file={} error=\"{}\"",
          saved.file(),
          FileErrors.describe(e));
    }
  }
}
