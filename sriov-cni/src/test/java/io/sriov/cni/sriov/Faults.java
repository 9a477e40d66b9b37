package io.sriov.cni.sriov;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.route.NamespaceVisit;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.os.Errno;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps {@link RtnlNamespaces} so that the {@code n}th call (counted over every namespace) of one
 * rtnetlink operation fails: with an {@link ErrnoException} (a refusal the plugin must roll back),
 * or with {@link Crash} (an {@link Error}: the process dying there, nothing of the plugin's own
 * undo runs).
 */
final class Faults {
  /** Stands for {@code kill -9}: no catch block of the plugin handles an Error. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash(String where) {
      super("SIMULATED crash at " + where);
    }
  }

  /** Work run just before an operation reaches the kernel (another process racing the plugin). */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private final RtnlNamespaces delegate;
  private final String method;
  private final int nth;
  private final boolean crash;
  private int last;
  private Action before;
  private final AtomicInteger calls = new AtomicInteger();

  private Faults(RtnlNamespaces delegate, String method, int nth, boolean crash) {
    this.delegate = delegate;
    this.method = method;
    this.nth = nth;
    this.crash = crash;
  }

  static RtnlNamespaces failing(RtnlNamespaces delegate, String method, int nth) {
    return new Faults(delegate, method, nth, false).namespaces();
  }

  /** Calls {@code first} to {@code last} of {@code method} fail. */
  static RtnlNamespaces failingCalls(RtnlNamespaces delegate, String method, int first, int last) {
    Faults f = new Faults(delegate, method, first, false);
    f.last = last;
    return f.namespaces();
  }

  static RtnlNamespaces crashing(RtnlNamespaces delegate, String method, int nth) {
    return new Faults(delegate, method, nth, true).namespaces();
  }

  /** The {@code nth} call of {@code method} runs {@code action} first, then goes through. */
  static RtnlNamespaces racing(RtnlNamespaces delegate, String method, int nth, Action action) {
    Faults f = new Faults(delegate, method, nth, false);
    f.before = action;
    return f.namespaces();
  }

  private RtnlNamespaces namespaces() {
    InvocationHandler h =
        (proxy, m, args) -> {
          Object r = invoke(delegate, m, args);
          if (r instanceof NamespaceVisit v) {
            return visit(v);
          }
          return r instanceof RtnlOperations ops ? operations(ops) : r;
        };
    return (RtnlNamespaces)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {RtnlNamespaces.class}, h);
  }

  /** A namespace visit whose rtnetlink ({@code rtnl()}) counts and fails too. */
  private NamespaceVisit visit(NamespaceVisit v) {
    InvocationHandler h =
        (proxy, m, args) -> {
          Object r = invoke(v, m, args);
          return r instanceof RtnlOperations ops ? operations(ops) : r;
        };
    return (NamespaceVisit)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {NamespaceVisit.class}, h);
  }

  private RtnlOperations operations(RtnlOperations ops) {
    InvocationHandler h =
        (proxy, m, args) -> {
          if (m.getName().equals(method) && hit(calls.incrementAndGet())) {
            if (before != null) {
              before.run();
              return invoke(ops, m, args);
            }
            if (crash) {
              throw new Crash(method + " #" + nth);
            }
            throw new ErrnoException("SIMULATED " + method, Errno.EIO);
          }
          return invoke(ops, m, args);
        };
    return (RtnlOperations)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {RtnlOperations.class}, h);
  }

  private boolean hit(int call) {
    return call >= nth && call <= Math.max(nth, last);
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
