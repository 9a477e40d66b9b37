package io.sriov.daemon.app;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code sriov-node} executable: {@link NodeDaemonApp} on the node the flags name. SIGTERM (and
 * SIGINT) stop a serving run: the shutdown hook releases it and waits until it has closed the
 * device plugin and the node.
 */
public final class NodeDaemonMain {
  private NodeDaemonMain() {}

  public static void main(String[] args) {
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopRequested.countDown();
                  try {
                    if (finished.await(30, TimeUnit.SECONDS)) {
                      System.out.flush();
                      System.err.flush();
                      Runtime.getRuntime().halt(exitCode.get());
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sriov-node-shutdown"));
    int code = 1;
    try {
      code =
          NodeDaemonApp.run(
              Arrays.asList(args),
              System.getenv(),
              System.out,
              System.err,
              NodeFactory.DEFAULT,
              stopRequested::await);
    } finally {
      exitCode.set(code);
      finished.countDown();
    }
    System.out.flush();
    if (code != 0) {
      System.exit(code);
    }
  }
}
