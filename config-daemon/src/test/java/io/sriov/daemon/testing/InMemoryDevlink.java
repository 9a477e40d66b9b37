package io.sriov.daemon.testing;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.netlink.devlink.DevlinkInfo;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST DOUBLE: devlink for the simulated node. Devices added with {@link #addDevice} have an
 * eswitch (legacy at first); every other handle answers EOPNOTSUPP, as a driver without devlink
 * eswitch support does. Records every change; {@link #failNextSet} injects an errno.
 */
public final class InMemoryDevlink implements DevlinkOperations {
  private final Map<DevlinkHandle, EswitchMode> modes = new HashMap<>();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private Errno failNextSet;
  private final Map<DevlinkHandle, Errno> failNextGet = new HashMap<>();

  public synchronized void addDevice(DevlinkHandle h) {
    modes.put(h, EswitchMode.LEGACY);
  }

  public synchronized void failNextSet(Errno errno) {
    failNextSet = errno;
  }

  /** The next eswitch query of {@code h} fails with {@code errno}. */
  public synchronized void failNextGet(DevlinkHandle h, Errno errno) {
    failNextGet.put(h, errno);
  }

  public List<String> changes() {
    return List.copyOf(changes);
  }

  @Override
  public synchronized List<DevlinkHandle> devices() {
    return new ArrayList<>(modes.keySet());
  }

  @Override
  public synchronized Optional<DevlinkInfo> info(DevlinkHandle handle) {
    return Optional.empty();
  }

  @Override
  public synchronized EswitchMode eswitchMode(DevlinkHandle handle) throws ErrnoException {
    Errno e = failNextGet.remove(handle);
    if (e != null) {
      throw new ErrnoException("DEVLINK_CMD_ESWITCH_GET " + handle, e);
    }
    EswitchMode m = modes.get(handle);
    if (m == null) {
      throw new ErrnoException("DEVLINK_CMD_ESWITCH_GET " + handle, Errno.EOPNOTSUPP);
    }
    return m;
  }

  @Override
  public synchronized void setEswitchMode(DevlinkHandle handle, EswitchMode mode)
      throws ErrnoException {
    if (!modes.containsKey(handle)) {
      throw new ErrnoException("DEVLINK_CMD_ESWITCH_SET " + handle, Errno.EOPNOTSUPP);
    }
    if (failNextSet != null) {
      Errno e = failNextSet;
      failNextSet = null;
      throw new ErrnoException("DEVLINK_CMD_ESWITCH_SET " + handle, e);
    }
    modes.put(handle, mode);
    changes.add("setEswitchMode " + handle + " " + mode);
  }

  /** No device of this double has devlink params (the engine asks none). */
  @Override
  public synchronized Optional<Boolean> boolParam(DevlinkHandle handle, String name) {
    return Optional.empty();
  }
}
