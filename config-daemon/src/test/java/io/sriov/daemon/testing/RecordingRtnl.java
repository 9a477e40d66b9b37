package io.sriov.daemon.testing;

import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated node's own rtnetlink as the daemon is given it in tests, seen through a thin proxy
 * that records each change ({@code setMtu ens1f0v0 9000}, {@code setVf ens1f0 vf 3 mac ...}, {@code
 * setVfs ens1f0 vf 0 mac ..., vf 1 mac ...}) and makes one named change throw what the kernel
 * cannot (an unexpected exception) or what the simulation has no reason to refuse (a valid VF MAC).
 * Every call still goes to the simulation.
 */
public final class RecordingRtnl {
  private static final Set<String> READS = Set.of("links", "link", "vfs", "addresses", "routes");
  private final RtnlOperations node;
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
  private final Map<String, Runnable> afterwards = new ConcurrentHashMap<>();

  /** What the daemon calls: {@code node} behind the recording and the failures. */
  public final RtnlOperations rtnl;

  public RecordingRtnl(RtnlOperations node) {
    this.node = node;
    rtnl =
        (RtnlOperations)
            Proxy.newProxyInstance(
                RtnlOperations.class.getClassLoader(),
                new Class<?>[] {RtnlOperations.class},
                (proxy, m, args) -> invoke(m, args));
  }

  /** Every change that reached the simulation, in order. */
  public List<String> changes() {
    return List.copyOf(changes);
  }

  /** The next change whose text starts with {@code prefix} throws {@code failure} instead. */
  public void failNext(String prefix, Throwable failure) {
    failures.put(prefix, failure);
  }

  /**
   * Once the next change whose text starts with {@code prefix} has reached the simulation, runs
   * {@code action} (someone else acting on the node at that moment), before the daemon goes on.
   */
  public void afterNext(String prefix, Runnable action) {
    afterwards.put(prefix, action);
  }

  private Object invoke(Method m, Object[] args) throws Throwable {
    boolean change =
        m.getDeclaringClass() != Object.class && args != null && !READS.contains(m.getName());
    String text = change ? describe(m, args) : "";
    for (String prefix : change ? failures.keySet() : Set.<String>of()) {
      Throwable failure = text.startsWith(prefix) ? failures.remove(prefix) : null;
      if (failure != null) {
        throw failure;
      }
    }
    try {
      Object result = m.invoke(node, args);
      if (change) {
        changes.add(text);
        for (String prefix : afterwards.keySet()) {
          Runnable action = text.startsWith(prefix) ? afterwards.remove(prefix) : null;
          if (action != null) {
            action.run();
          }
        }
      }
      return result;
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private String describe(Method m, Object[] args) throws Exception {
    List<String> words = new ArrayList<>(List.of(m.getName()));
    for (int i = 0; i < args.length; i++) {
      if (i == 0 && args[0] instanceof Integer index) {
        words.add(node.link(index).map(l -> l.name().value()).orElse(String.valueOf(index)));
      } else if (args[i] instanceof VfConfig c) {
        words.add(vf(c));
      } else if (args[i] instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof VfConfig) {
        words.add(String.join(", ", l.stream().map(c -> vf((VfConfig) c)).toList()));
      } else {
        words.add(String.valueOf(args[i]));
      }
    }
    return String.join(" ", words);
  }

  private static String vf(VfConfig c) {
    return "vf " + c.vf() + c.mac().map(mac -> " mac " + mac).orElse("");
  }
}
