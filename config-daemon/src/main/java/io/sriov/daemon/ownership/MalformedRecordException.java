package io.sriov.daemon.ownership;

import java.io.IOException;

/**
 * The ownership record is there but cannot be understood (not JSON, wrong version, a bad PCI
 * address). Not an OS error: it has no errno. The daemon must not guess which PFs are its own, so
 * nothing is configured until the record is repaired or removed.
 */
public final class MalformedRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }
}
