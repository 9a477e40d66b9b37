package io.sriov.daemon.state;

/** {@code status.syncStatus} values, spelled as upstream's daemon writes them. */
public enum SyncStatus {
  IN_PROGRESS("InProgress"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed");

  private final String wireName;

  SyncStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
