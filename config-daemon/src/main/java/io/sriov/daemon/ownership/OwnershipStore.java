package io.sriov.daemon.ownership;

import io.sriov.core.value.PciAddress;
import java.io.IOException;
import java.util.Map;

/**
 * Which PFs this daemon configured. A PF dropped from the desired state is reset only when it is
 * recorded here; every other PF on the node is never touched. Changes are durable when the call
 * returns (the file implementation writes atomically, 0600). Thread-safe.
 */
public interface OwnershipStore {

  /**
   * Every recorded PF.
   *
   * @throws MalformedRecordException when the record exists but cannot be understood
   */
  Map<PciAddress, OwnedPf> owned() throws IOException;

  /** Records {@code pf} (replacing an earlier record of the same address). */
  void put(OwnedPf pf) throws IOException;

  /** Forgets {@code pf}; nothing when it is not recorded. */
  void remove(PciAddress pf) throws IOException;
}
