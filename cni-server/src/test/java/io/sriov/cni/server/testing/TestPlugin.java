package io.sriov.cni.server.testing;

import io.sriov.cni.plugin.CniErrorCode;
import io.sriov.cni.plugin.CniException;
import io.sriov.cni.plugin.CniPlugin;
import io.sriov.cni.plugin.CniRequest;
import io.sriov.cni.plugin.CniResult;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CNI plugin for the server's tests: records every call; ADD answers one interface named after
 * the request; a container ID chosen by the test can fail, log a lot, or wait on a latch (to prove
 * calls run in parallel, or to hold one while the server closes).
 */
public final class TestPlugin implements CniPlugin {
  /** Container ID whose ADD fails with code 7. */
  public static final String FAILING = "failing";

  /** Container ID whose ADD writes 2 MiB to its log (stderr). */
  public static final String CHATTY = "chatty";

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private volatile CountDownLatch together;

  /** Every call as {@code COMMAND containerId}, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** The most calls that were inside the plugin at once. */
  public int maxRunning() {
    return maxRunning.get();
  }

  /** ADDs of {@code containerId} wait until {@link #release} is called. */
  public CountDownLatch hold(String containerId) {
    return holds.computeIfAbsent(containerId, k -> new CountDownLatch(1));
  }

  public void release(String containerId) {
    hold(containerId).countDown();
  }

  /** The next {@code n} ADDs each wait until all {@code n} are running at once (10 s at most). */
  public void meetTogether(int n) {
    together = new CountDownLatch(n);
  }

  @Override
  public CniResult add(CniRequest request) {
    String id = request.container();
    enter("ADD", id);
    try {
      CountDownLatch all = together;
      if (all != null) {
        all.countDown();
        if (!all.await(10, TimeUnit.SECONDS)) {
          throw new CniException(CniErrorCode.TRY_AGAIN_LATER, "the others never came: " + id);
        }
      }
      CountDownLatch hold = holds.get(id);
      if (hold != null && !hold.await(30, TimeUnit.SECONDS)) {
        throw new CniException(CniErrorCode.TRY_AGAIN_LATER, "never released: " + id);
      }
      if (id.equals(FAILING)) {
        throw new CniException(
            CniErrorCode.INVALID_NETWORK_CONFIG, "test plugin refuses " + id, "as asked");
      }
      if (id.equals(CHATTY)) {
        String line = "x".repeat(1000);
        for (int i = 0; i < 2100; i++) {
          request.log().error(line);
        }
      }
      return CniResult.EMPTY.withInterfaces(
          List.of(
              CniResult.Interface.of(
                  request.interfaceName().toString(),
                  "02:00:00:00:00:01",
                  request.netns().map(Object::toString).orElse(""))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniErrorCode.TRY_AGAIN_LATER, "interrupted");
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public void del(CniRequest request) {
    enter("DEL", request.container());
    running.decrementAndGet();
  }

  @Override
  public void check(CniRequest request) {
    enter("CHECK", request.container());
    running.decrementAndGet();
  }

  @Override
  public void gc(CniRequest request) {
    enter("GC", "");
    running.decrementAndGet();
  }

  @Override
  public void status(CniRequest request) {
    enter("STATUS", "");
    running.decrementAndGet();
  }

  private void enter(String command, String id) {
    calls.add(command + " " + id);
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
  }
}
