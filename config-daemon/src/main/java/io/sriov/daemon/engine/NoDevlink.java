package io.sriov.daemon.engine;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.netlink.devlink.DevlinkInfo;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.os.Errno;
import java.util.List;
import java.util.Optional;

/**
 * devlink on a node without it (a kernel without the devlink family, the simulated node): no
 * devices, and every eswitch request answers EOPNOTSUPP, as a driver without eswitch support does,
 * so the engine reports {@code legacy} and refuses a {@code switchdev} request with that errno.
 */
final class NoDevlink implements DevlinkOperations {
  @Override
  public List<DevlinkHandle> devices() {
    return List.of();
  }

  @Override
  public Optional<DevlinkInfo> info(DevlinkHandle handle) {
    return Optional.empty();
  }

  @Override
  public EswitchMode eswitchMode(DevlinkHandle handle) throws ErrnoException {
    throw new ErrnoException(
        "DEVLINK_CMD_ESWITCH_GET " + handle + " (no devlink)", Errno.EOPNOTSUPP);
  }

  @Override
  public void setEswitchMode(DevlinkHandle handle, EswitchMode mode) throws ErrnoException {
    throw new ErrnoException(
        "DEVLINK_CMD_ESWITCH_SET " + handle + " (no devlink)", Errno.EOPNOTSUPP);
  }

  /** No device, so no params: as a device without the param, empty. */
  @Override
  public Optional<Boolean> boolParam(DevlinkHandle handle, String name) {
    return Optional.empty();
  }
}
