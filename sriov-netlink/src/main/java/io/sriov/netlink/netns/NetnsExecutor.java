package io.sriov.netlink.netns;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.socket.NamespaceSyscalls;
import io.sriov.netlink.socket.NetlinkSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs work inside a network namespace. {@code setns(2)} changes only the calling thread, so each
 * task gets a fresh PLATFORM thread (never a virtual thread: its carrier would switch namespaces
 * under other virtual threads) that enters the namespace, runs the task and ends, so no thread is
 * ever returned to a pool in the wrong namespace. Sockets opened inside stay bound to the namespace
 * afterwards ({@link #openSocket}). {@link #hold} may take a spare thread started ahead of time
 * that has not entered any namespace yet; it too serves one namespace and ends.
 *
 * <p>A task for the namespace the calling thread is in already (the node daemon's host namespace,
 * most of its calls) runs on the calling thread: no thread, no {@code setns}. The test is the
 * namespace's identity ({@link NetNamespace#isCallersNamespace}: the same nsfs inode); only a
 * thread itself can change its namespace, so the answer holds for the task.
 */
public final class NetnsExecutor {
  private final AtomicLong counter = new AtomicLong();

  /** An executor whose {@link #hold}s start spare threads ahead (a long-lived process). */
  public NetnsExecutor() {}

  /**
   * An executor that starts no spare thread: for a process that makes one call and exits (the
   * standalone CNI plugins), where a spare would only be started to be thrown away. {@link #hold}
   * works as after {@link #closeSpares}: each on a fresh thread.
   */
  public static NetnsExecutor withoutSpares() {
    NetnsExecutor executor = new NetnsExecutor();
    executor.closeSpares();
    return executor;
  }

  /** A task run inside the namespace. */
  @FunctionalInterface
  public interface Task<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code task} on a dedicated platform thread inside {@code ns} (on the calling thread when
   * that is in {@code ns} already) and returns its result. A failure to enter the namespace is an
   * {@link ErrnoException}; the task's own exceptions are rethrown as they are when they are {@link
   * NetlinkException}s or unchecked, otherwise wrapped in {@link NetnsTaskException}.
   */
  public <T> T run(NetNamespace ns, Task<T> task) throws NetlinkException {
    int fd = ns.fd();
    if (ns.isCallersNamespace()) {
      try {
        return task.run();
      } catch (Throwable e) {
        throw rethrown("netns-caller", e);
      }
    }
    return runOnFreshThread(
        "netns-" + counter.incrementAndGet(),
        () -> {
          NamespaceSyscalls.enterNet(fd, ns.path().toString());
          return task.run();
        });
  }

  /** Work on a {@link #walk} thread, which may enter one namespace after another. */
  @FunctionalInterface
  public interface WalkTask<T> {
    T run(Walker walker) throws Exception;
  }

  /** Moves the walk's own thread into a namespace; refused on any other thread. */
  public interface Walker {
    /** {@code setns(fd, CLONE_NEWNET)} for the walk's thread, as {@code nsenter --net=PATH}. */
    void enter(NetNamespace ns) throws ErrnoException;
  }

  /**
   * Runs {@code task} on ONE fresh platform thread that may enter several namespaces in turn (a
   * reader visiting many pods' namespaces: one thread for all of them, not one each) and ends after
   * it, so no thread outlives the walk in a namespace it entered. Failures as {@link #run}.
   */
  public <T> T walk(WalkTask<T> task) throws NetlinkException {
    return runOnFreshThread(
        "netns-walk-" + counter.incrementAndGet(),
        () -> {
          Thread own = Thread.currentThread();
          return task.run(
              ns -> {
                if (Thread.currentThread() != own) {
                  throw new IllegalStateException("only the walk's own thread may enter " + ns);
                }
                NamespaceSyscalls.enterNet(ns.fd(), ns.path().toString());
              });
        });
  }

  /**
   * A platform thread that enters {@code ns} at once and then waits there for the tasks of {@link
   * Held#run}, until {@link Held#close} (or {@code idleLimit} without a task, a caller that died
   * without closing): work that must run inside a namespace LATER (a pod's sysctls once the VF is
   * there) pays for the {@code setns} now, beside the caller's other work. The thread is a parked
   * spare when one is waiting ({@link #SPARES}; started ahead of time, it has never entered any
   * namespace nor run any task), else a fresh one; either way it starts the next spare while it is
   * still in the namespace it was born in (the caller's), then takes {@code ns} over, closes it
   * once inside, runs one task at a time and ends: it is never reused for another namespace.
   */
  public Held hold(NetNamespace ns, Duration idleLimit) {
    Held held = new Held(ns, idleLimit, "netns-held-" + counter.incrementAndGet());
    Runnable job =
        () -> {
          startSpare();
          held.enterAndServe();
        };
    Spare spare;
    synchronized (spares) {
      spare = spares.pollFirst();
    }
    if (spare == null) {
      Thread.ofPlatform().name(held.name).daemon(true).start(job);
    } else {
      spare.slot.add(job);
    }
    return held;
  }

  /** How many spare threads wait for a {@link #hold} at most. */
  static final int SPARES = 1;

  /** How long a spare waits for a {@link #hold} before it ends (an idle daemon keeps none). */
  static final Duration SPARE_IDLE_LIMIT = Duration.ofMinutes(5);

  private static final Runnable STOP = () -> {};

  private final ArrayDeque<Spare> spares = new ArrayDeque<>(); // by itself
  private boolean closed; // guarded by spares: no spare is started after close
  private int starting; // guarded by spares: spares whose thread is being started

  /** A parked platform thread a {@link #hold} hands its job to, once. */
  private static final class Spare {
    final ArrayBlockingQueue<Runnable> slot = new ArrayBlockingQueue<>(1);
  }

  /**
   * Starts one spare unless {@link #SPARES} wait (or are being started) already or the executor is
   * closed. Never throws: a spare is offered to holds only once its thread runs, so a thread that
   * cannot be had leaves no spare that a hold could hand its namespace to and wait for.
   */
  private void startSpare() {
    synchronized (spares) {
      if (closed || spares.size() + starting >= SPARES) {
        return;
      }
      starting++;
    }
    Spare spare = new Spare();
    boolean started = false;
    try {
      Thread.ofPlatform()
          .name("netns-spare-" + counter.incrementAndGet())
          .daemon(true)
          .start(() -> awaitJob(spare).run());
      started = true;
    } catch (Throwable e) {
      // no thread: no spare this time; the next hold starts a fresh thread and tries again
    } finally {
      synchronized (spares) {
        starting--;
        if (started && !closed) {
          spares.addLast(spare);
        } else if (started) {
          spare.slot.add(STOP);
        }
      }
    }
  }

  /** The spare's job, or {@link #STOP} after its idle limit (then no hold can hand it one). */
  private Runnable awaitJob(Spare spare) {
    Runnable job;
    try {
      job = spare.slot.poll(SPARE_IDLE_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      job = null;
    }
    if (job != null) {
      return job;
    }
    synchronized (spares) {
      if (spares.remove(spare)) {
        return STOP; // idle: no longer offered, nothing can be handed to it any more
      }
    }
    while (true) { // a hold took it from the deque just now: its job is on the way
      try {
        return spare.slot.take();
      } catch (InterruptedException e) {
        // the job must run: its caller waits for the thread to enter
      }
    }
  }

  /** The spare threads waiting for a {@link #hold} now. */
  int spares() {
    synchronized (spares) {
      return spares.size();
    }
  }

  /**
   * Ends the waiting spares and starts no more; {@link #hold} still works (each on a fresh thread).
   * Idempotent.
   */
  public void closeSpares() {
    List<Spare> ending;
    synchronized (spares) {
      closed = true;
      ending = List.copyOf(spares);
      spares.clear();
    }
    ending.forEach(s -> s.slot.add(STOP));
  }

  /** A thread held inside one namespace ({@link #hold}). */
  public static final class Held implements AutoCloseable {
    private static final Runnable END = () -> {};

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> entered = new CompletableFuture<>();
    private final NetNamespace ns;
    private final Duration idleLimit;
    private final String name;
    private boolean ended; // guarded by this: no task is queued after the thread's end

    private Held(NetNamespace ns, Duration idleLimit, String name) {
      this.ns = ns;
      this.idleLimit = idleLimit;
      this.name = name;
    }

    /** The held thread's body: enters the namespace (closing its file), then serves tasks. */
    private void enterAndServe() {
      Thread.currentThread().setName(name);
      try (ns) {
        NamespaceSyscalls.enterNet(ns.fd(), ns.path().toString());
        entered.complete(null);
      } catch (Throwable e) {
        entered.completeExceptionally(e);
        end();
        return;
      }
      serve(idleLimit);
    }

    private void serve(Duration idleLimit) {
      while (true) {
        Runnable r;
        try {
          r = queue.poll(idleLimit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          r = null;
        }
        if (r == null) {
          synchronized (this) {
            if (queue.isEmpty()) {
              ended = true;
              return; // idle too long: the caller is gone
            }
          }
          continue;
        }
        if (r == END) {
          return;
        }
        r.run();
      }
    }

    private synchronized void end() {
      ended = true;
    }

    /**
     * Runs {@code task} on the held thread inside the namespace and returns its result; failures as
     * {@link NetnsExecutor#run} (the thread's failure to enter the namespace: its {@link
     * ErrnoException}).
     */
    public <T> T run(Task<T> task) throws NetlinkException {
      return await(submit(task));
    }

    /**
     * Hands {@code task} to the held thread without waiting; {@link #await} its result. A task
     * handed to a thread that failed to enter the namespace fails with that failure.
     */
    public <T> CompletableFuture<T> submit(Task<T> task) {
      CompletableFuture<T> result = new CompletableFuture<>();
      synchronized (this) {
        if (ended) {
          if (entered.isCompletedExceptionally()) {
            return entered.thenApply(ignored -> null);
          }
          throw new IllegalStateException(name + " ended (closed or idle too long)");
        }
        queue.add(
            () -> {
              try {
                result.complete(task.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            });
      }
      return entered.thenCompose(ignored -> result);
    }

    /** The result of a {@link #submit}ted task, failures as {@link NetnsExecutor#run}. */
    public <T> T await(CompletableFuture<T> f) throws NetlinkException {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return f.get();
          } catch (InterruptedException e) {
            interrupted = true; // the held thread finishes the task; it is bounded by it
          } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException c
                && c.getCause() != null) {
              cause = c.getCause();
            }
            throw rethrown(name, cause);
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Lets the thread end (after a task it runs now); idempotent. */
    @Override
    public synchronized void close() {
      if (!ended) {
        ended = true;
        queue.add(END);
      }
    }
  }

  /** Opens a netlink socket bound to {@code ns} (it stays there after the thread ends). */
  public NetlinkSocket openSocket(NetNamespace ns, int protocol, int groups)
      throws NetlinkException {
    return run(ns, () -> NetlinkSocket.open(protocol, groups));
  }

  /** Runs {@code task} on a new platform thread and waits for it. */
  static <T> T runOnFreshThread(String name, Task<T> task) throws NetlinkException {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread t =
        Thread.ofPlatform()
            .name(name)
            .daemon(true)
            .unstarted(
                () -> {
                  try {
                    result[0] = task.run();
                  } catch (Throwable e) {
                    failure[0] = e;
                  }
                });
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the namespace thread must finish; it is bounded by the task
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure[0];
    if (f == null) {
      @SuppressWarnings("unchecked")
      T r = (T) result[0];
      return r;
    }
    throw rethrown(name, f);
  }

  /** A task's failure as the caller sees it: netlink, unchecked and errors as they are. */
  private static RuntimeException rethrown(String name, Throwable f) throws NetlinkException {
    if (f instanceof NetlinkException e) {
      throw e;
    }
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
    return new NetnsTaskException(name, f);
  }
}
