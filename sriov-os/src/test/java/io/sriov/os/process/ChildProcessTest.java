package io.sriov.os.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.os.Errno;
import io.sriov.os.SyscallException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** posix_spawn on this machine (Linux x86_64, glibc 2.36): real children, real pipes. */
class ChildProcessTest {
  private static final Path SH = Path.of("/bin/sh");
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final ChildProcess spawn =
      ChildProcess.available()
          .orElseThrow(() -> new AssertionError(ChildProcess.unavailableReason()));

  private ChildProcess.Result sh(String script, byte[] stdin, Duration timeout) throws Exception {
    return spawn.run(SH, List.of("-c", script), Map.of("PATH", "/usr/bin:/bin"), stdin, timeout);
  }

  @Test
  void isBoundHere() {
    assertThat(ChildProcess.unavailableReason()).isEmpty();
  }

  /**
   * posix_spawn's sixth argument is envp: jnr-ffi once passed a garbage sixth argument (sendto), so
   * the child prints its environment and it must be exactly the one passed, in order, with an empty
   * value, spaces, UTF-8 and many variables.
   */
  @Test
  void environmentIsExactlyTheOnePassed() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", "ADD");
    env.put("EMPTY", "");
    env.put("SPACES", "a b  c");
    env.put("UTF8", "żółw=ok");
    IntStream.range(0, 200).forEach(i -> env.put("V" + i, "x".repeat(i)));
    ChildProcess.Result r = spawn.run(Path.of("/usr/bin/env"), List.of(), env, new byte[0], LONG);
    assertThat(r.exitValue()).isZero();
    String expected =
        env.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue() + "\n")
            .collect(Collectors.joining());
    assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void emptyEnvironmentIsEmpty() throws Exception {
    ChildProcess.Result r =
        spawn.run(Path.of("/usr/bin/env"), List.of(), Map.of(), new byte[0], LONG);
    assertThat(r.exitValue()).isZero();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void argvZeroIsThePathThenTheArguments() throws Exception {
    ChildProcess.Result r = sh("printf '%s|' \"$0\" \"$@\"", new byte[0], LONG);
    assertThat(r.stdout()).asString().isEqualTo("/bin/sh|");
    r =
        spawn.run(
            SH,
            List.of("-c", "printf '%s|' \"$0\" \"$@\"", "zero", "one two", ""),
            Map.of(),
            new byte[0],
            LONG);
    assertThat(r.stdout()).asString().isEqualTo("zero|one two||");
  }

  @Test
  void stdinIsTheBytesPassed() throws Exception {
    byte[] in = "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    ChildProcess.Result r = spawn.run(Path.of("/bin/cat"), List.of(), Map.of(), in, LONG);
    assertThat(r.stdout()).isEqualTo(in);
  }

  /** 1 MiB through cat: stdin and stdout both far beyond a pipe's 64 KiB, fed and drained. */
  @Test
  void largeStdinThroughLargeStdoutWithoutDeadlock() throws Exception {
    byte[] in = new byte[1 << 20];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) (i * 31 + 7);
    }
    ChildProcess.Result r = spawn.run(Path.of("/bin/cat"), List.of(), Map.of(), in, LONG);
    assertThat(r.exitValue()).isZero();
    assertThat(r.timedOut()).isFalse();
    assertThat(r.stdout()).isEqualTo(in);
  }

  /**
   * Both streams written at once, 300 KB each: a parent that read one to its end before the other
   * would wait forever on a child blocked on the other's full pipe.
   */
  @Test
  void largeStdoutAndStderrAtOnceWithoutDeadlock() throws Exception {
    ChildProcess.Result r =
        sh("yes out | head -c 300000 & yes err | head -c 300000 >&2; wait", new byte[0], LONG);
    assertThat(r.exitValue()).isZero();
    assertThat(r.timedOut()).isFalse();
    assertThat(r.stdout()).hasSize(300_000);
    assertThat(r.stderr()).hasSize(300_000);
    assertThat(new String(r.stdout(), StandardCharsets.US_ASCII)).startsWith("out\nout\n");
    assertThat(r.stderrText()).startsWith("err\nerr\n");
  }

  /**
   * The parent holds a descriptor without close-on-exec (FileInputStream opens without it); the
   * child sees only 0, 1, 2 and the one ls opens to list the directory.
   */
  @Test
  void noDescriptorOfTheParentLeaks() throws Exception {
    Path f = Files.writeString(dir.resolve("held"), "x");
    try (FileInputStream held = new FileInputStream(f.toFile())) {
      int heldFd = fdOf(f);
      String flags =
          Files.readAllLines(Path.of("/proc/self/fdinfo/" + heldFd)).stream()
              .filter(l -> l.startsWith("flags:"))
              .findFirst()
              .orElseThrow()
              .split("\\s+")[1];
      assertThat(Integer.parseInt(flags, 8) & 02000000).as("the test's premise").isZero();
      ChildProcess.Result r =
          spawn.run(Path.of("/bin/ls"), List.of("/proc/self/fd"), Map.of(), new byte[0], LONG);
      assertThat(r.exitValue()).isZero();
      assertThat(r.stdout()).asString().isEqualTo("0\n1\n2\n3\n");
      r = sh("ls -l /proc/self/fd/ | grep -c held", new byte[0], LONG);
      assertThat(r.stdout()).asString().isEqualTo("0\n");
      assertThat(held.read()).as("still open in the parent").isEqualTo('x');
    }
  }

  @Test
  void parentKeepsNoDescriptorOfTheChild() throws Exception {
    Set<String> before = openFds();
    for (int i = 0; i < 5; i++) {
      sh("cat; echo x >&2", "in".getBytes(StandardCharsets.US_ASCII), LONG);
      sh("exec sleep 5", new byte[0], Duration.ofMillis(50));
    }
    assertThat(openFds()).isEqualTo(before);
    assertThat(zombieChildren()).isEmpty();
  }

  /** A JVM thread blocks SIGQUIT (SigBlk 4 here); the child must not inherit it. */
  /**
   * Four threads spawning at once, each descriptor number soon reused by another thread's pipes: a
   * descriptor closed twice (once at EOF, once at the end) closes another run's pipe (POLLNVAL,
   * EBADF) or, in the daemon, another caller's netlink socket (ENOTSOCK).
   */
  @Test
  void concurrentRunsCloseOnlyTheirOwnDescriptors() throws Exception {
    Set<String> before = openFds();
    List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String word = "w" + t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 60; i++) {
                        ChildProcess.Result r =
                            spawn.run(
                                Path.of("/bin/echo"), List.of(word), Map.of(), new byte[0], LONG);
                        if (r.exitValue() != 0 || !new String(r.stdout()).equals(word + "\n")) {
                          throw new AssertionError(word + " run " + i + ": " + r);
                        }
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(openFds()).isEqualTo(before);
  }

  @Test
  void childSignalMaskIsEmpty() throws Exception {
    assertThat(Files.readAllLines(Path.of("/proc/thread-self/status")))
        .as("the test's premise")
        .contains("SigBlk:\t0000000000000004");
    ChildProcess.Result r =
        spawn.run(
            Path.of("/bin/grep"),
            List.of("^SigBlk", "/proc/self/status"),
            Map.of(),
            new byte[0],
            LONG);
    assertThat(r.stdout()).asString().isEqualTo("SigBlk:\t0000000000000000\n");
  }

  @Test
  void timeoutKillsAndReaps() throws Exception {
    long start = System.nanoTime();
    ChildProcess.Result r = sh("exec sleep 30", new byte[0], Duration.ofMillis(300));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.exited()).isFalse();
    assertThat(r.signal()).isEqualTo(9);
    assertThat(r.exitValue()).isEqualTo(137);
    assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    assertThat(zombieChildren()).isEmpty();
  }

  /** A child that ends while its own child holds the pipes still ends the run at the timeout. */
  @Test
  void grandchildHoldingThePipesEndsAtTheTimeout() throws Exception {
    long start = System.nanoTime();
    ChildProcess.Result r = sh("sleep 3 & echo started", new byte[0], Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.stdout()).asString().isEqualTo("started\n");
    assertThat(zombieChildren()).isEmpty();
  }

  @Test
  void exitCodeAndSignal() throws Exception {
    ChildProcess.Result r = sh("echo bad >&2; exit 3", new byte[0], LONG);
    assertThat(r.exited()).isTrue();
    assertThat(r.exitValue()).isEqualTo(3);
    assertThat(r.stderrText()).isEqualTo("bad\n");
    r = sh("kill -TERM $$", new byte[0], LONG);
    assertThat(r.exited()).isFalse();
    assertThat(r.signal()).isEqualTo(15);
    assertThat(r.exitValue()).isEqualTo(143);
    assertThat(r.timedOut()).isFalse();
  }

  @Test
  void childThatDoesNotReadStdin() throws Exception {
    byte[] in = new byte[1 << 20];
    ChildProcess.Result r = spawn.run(Path.of("/bin/true"), List.of(), Map.of(), in, LONG);
    assertThat(r.exitValue()).isZero();
    assertThat(r.timedOut()).isFalse();
    r = sh("head -c 10; echo; exit 4", in, LONG);
    assertThat(r.exitValue()).isEqualTo(4);
    assertThat(r.stdout()).hasSize(11);
  }

  @Test
  void missingExecutableIsEnoent() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> spawn.run(missing, List.of(), Map.of(), new byte[0], LONG))
        .isInstanceOf(SyscallException.class)
        .hasMessage("spawn " + missing + ": ENOENT (No such file or directory)")
        .satisfies(e -> assertThat(((SyscallException) e).errno()).isEqualTo(Errno.ENOENT));
  }

  @Test
  void nonExecutableIsEacces() throws IOException {
    Path plain = Files.writeString(dir.resolve("plain"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> spawn.run(plain, List.of(), Map.of(), new byte[0], LONG))
        .isInstanceOf(SyscallException.class)
        .hasMessage("spawn " + plain + ": EACCES (Permission denied)");
  }

  /** No shell fallback (unlike the JDK's ProcessBuilder): a script needs its #! line. */
  @Test
  void scriptWithoutInterpreterLineIsEnoexec() throws IOException {
    Path script = Files.writeString(dir.resolve("script"), "exit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> spawn.run(script, List.of(), Map.of(), new byte[0], LONG))
        .isInstanceOf(SyscallException.class)
        .hasMessage("spawn " + script + ": ENOEXEC (Exec format error)");
  }

  @Test
  void badEnvironmentNameOrNul() {
    assertThatThrownBy(() -> spawn.run(SH, List.of(), Map.of("A=B", "x"), new byte[0], LONG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an environment variable name: \"A=B\"");
    assertThatThrownBy(() -> spawn.run(SH, List.of(), Map.of("", "x"), new byte[0], LONG))
        .hasMessage("not an environment variable name: \"\"");
    assertThatThrownBy(() -> spawn.run(SH, List.of(), Map.of("A", "x\0y"), new byte[0], LONG))
        .hasMessage("environment variable with a NUL character: \"A=x\0y\"");
    assertThatThrownBy(() -> spawn.run(SH, List.of("a\0"), Map.of(), new byte[0], LONG))
        .hasMessage("argument with a NUL character: \"a\0\"");
  }

  @Test
  void interruptKillsAndReaps() throws Exception {
    Thread.currentThread().interrupt();
    long start = System.nanoTime();
    assertThatThrownBy(() -> sh("exec sleep 30", new byte[0], LONG))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("interrupted while /bin/sh ran");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(zombieChildren()).isEmpty();
  }

  private static int fdOf(Path f) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              p -> {
                try {
                  return Files.readSymbolicLink(p).equals(f);
                } catch (IOException e) {
                  return false;
                }
              })
          .mapToInt(p -> Integer.parseInt(p.getFileName().toString()))
          .findFirst()
          .orElseThrow();
    }
  }

  private static Set<String> openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Children of this JVM that ended and were not reaped. */
  private static List<String> zombieChildren() throws IOException {
    String self = Long.toString(ProcessHandle.current().pid());
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .map(
              p -> {
                try {
                  return Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                  return ""; // ended meanwhile
                }
              })
          .filter(
              stat -> {
                if (stat.isEmpty()) {
                  return false;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return f.length > 1 && f[0].equals("Z") && f[1].equals(self);
              })
          .map(s -> Arrays.asList(s.split(" ")).subList(0, 3).toString())
          .toList();
    }
  }
}
