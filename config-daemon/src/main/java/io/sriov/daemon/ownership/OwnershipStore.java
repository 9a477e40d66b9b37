package io.sriov.daemon.ownership;

import io.sriov.core.value.PciAddress;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
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
  default void put(OwnedPf pf) throws IOException {
    putAll(List.of(pf));
  }

  /**
   * Records every PF of {@code pfs} in one durable change (each replacing an earlier record of the
   * same address): an apply claims all the PFs it is about to configure with one write.
   */
  void putAll(Collection<OwnedPf> pfs) throws IOException;

  /** Forgets {@code pf}; nothing when it is not recorded. */
  void remove(PciAddress pf) throws IOException;
}
