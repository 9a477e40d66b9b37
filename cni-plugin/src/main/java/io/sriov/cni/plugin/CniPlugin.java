package io.sriov.cni.plugin;

/**
 * A CNI plugin's logic, called by {@link CniRunner} (the standalone executable) or by the daemon's
 * CNI server with a validated request. Failures are {@link CniException}s with the spec's code;
 * anything else thrown becomes code 999.
 */
public interface CniPlugin {
  /** ADD: create and configure the attachment; the result is written in the request's version. */
  CniResult add(CniRequest request);

  /** DEL: best effort and idempotent; succeeds when the attachment is already gone. */
  void del(CniRequest request);

  /** CHECK (0.4.0 on): fail when what ADD set up is missing or differs. */
  void check(CniRequest request);

  /** GC (1.1.0): release what no attachment in {@code cni.dev/valid-attachments} uses. */
  void gc(CniRequest request);

  /** STATUS (1.1.0): fail with code 50 or 51 when ADD cannot work now. */
  void status(CniRequest request);
}
