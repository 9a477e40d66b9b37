package io.sriov.cni.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A plugin's log, as upstream's SR-IOV plugins configure theirs from the netconf: {@code logLevel}
 * one of {@code panic}, {@code error}, {@code warning}, {@code info} (the default), {@code debug};
 * {@code logFile} an absolute path appended to (created 0600), otherwise stderr. Never stdout,
 * which belongs to the CNI result. One line per entry: {@code time=... level=info msg="..."
 * key=value ...}, values quoted when they contain spaces, quotes or {@code =}. A bad {@code
 * logLevel} or an unusable {@code logFile} is reported on the log itself (stderr), not fatal:
 * logging must never fail a CNI call.
 */
public final class CniLog implements AutoCloseable {
  /** Upstream's levels, most severe first. */
  public enum Level {
    PANIC,
    ERROR,
    WARNING,
    INFO,
    DEBUG;

    String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Level> of(String s) {
      for (Level l : values()) {
        if (l.text().equals(s)) {
          return Optional.of(l);
        }
      }
      return Optional.empty();
    }
  }

  private final OutputStream out;
  private final Level level;
  private final Clock clock;
  private final boolean owned;

  private CniLog(OutputStream out, Level level, Clock clock, boolean owned) {
    this.out = out;
    this.level = level;
    this.clock = clock;
    this.owned = owned;
  }

  private CniLog(OutputStream out, Level level, Clock clock) {
    this(out, level, clock, false);
  }

  /** A log to {@code stderr} at {@code info}, for before the netconf is read. */
  public static CniLog toStderr(OutputStream stderr, Clock clock) {
    return new CniLog(stderr, Level.INFO, clock);
  }

  /**
   * The log a netconf asks for.
   *
   * @param logFile the netconf's {@code logFile}
   * @param logLevel the netconf's {@code logLevel}
   * @param stderr where to log without a (usable) log file
   */
  public static CniLog open(
      Optional<String> logFile, Optional<String> logLevel, OutputStream stderr, Clock clock) {
    CniLog fallback = new CniLog(stderr, Level.INFO, clock);
    Level level = Level.INFO;
    if (logLevel.isPresent()) {
      Optional<Level> l = Level.of(logLevel.get());
      if (l.isPresent()) {
        level = l.get();
      } else {
        fallback.warning(
            "logLevel not supported, using info",
            "logLevel",
            logLevel.get(),
            "supported",
            "panic,error,warning,info,debug");
      }
    }
    if (logFile.isEmpty()) {
      return new CniLog(stderr, level, clock);
    }
    try {
      Path p = Path.of(logFile.get());
      if (!p.isAbsolute()) {
        fallback.warning("logFile is not an absolute path, logging to stderr", "logFile", p);
        return new CniLog(stderr, level, clock);
      }
      if (p.getParent() != null) {
        Files.createDirectories(p.getParent());
      }
      if (!Files.exists(p)) {
        try {
          Files.createFile(
              p,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another plugin process created it first: append to it
        }
      }
      OutputStream file =
          Files.newOutputStream(p, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      return new CniLog(file, level, clock, true);
    } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
      fallback.warning(
          "cannot open logFile, logging to stderr", "logFile", logFile.get(), "error", e);
      return new CniLog(stderr, level, clock);
    }
  }

  /** Closes the log file; stderr stays open. */
  @Override
  public void close() {
    if (owned) {
      synchronized (this) {
        try {
          out.close();
        } catch (IOException e) {
          // nothing left to report it to
        }
      }
    }
  }

  public Level level() {
    return level;
  }

  public boolean enabled(Level l) {
    return l.compareTo(level) <= 0;
  }

  /** Logs {@code msg} with {@code keyValues} (key, value, key, value, ...). */
  public void log(Level l, String msg, Object... keyValues) {
    if (!enabled(l)) {
      return;
    }
    StringBuilder b = new StringBuilder(96);
    b.append("time=").append(DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    b.append(" level=").append(l.text());
    b.append(" msg=");
    value(b, msg);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      b.append(' ').append(keyValues[i]).append('=');
      value(b, String.valueOf(keyValues[i + 1]));
    }
    b.append('\n');
    synchronized (this) {
      try {
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // a log that cannot be written must not fail the CNI call
      }
    }
  }

  public void error(String msg, Object... kv) {
    log(Level.ERROR, msg, kv);
  }

  public void warning(String msg, Object... kv) {
    log(Level.WARNING, msg, kv);
  }

  public void info(String msg, Object... kv) {
    log(Level.INFO, msg, kv);
  }

  public void debug(String msg, Object... kv) {
    log(Level.DEBUG, msg, kv);
  }

  /**
   * A timer for the steps of one operation, logged as one {@code debug} line when it is done:
   * {@code msg="step times" op=ADD locate=0.4 pf-side=3.1 ... total=12.9} (milliseconds since the
   * previous mark). When the log is not at {@code debug} it is a no-op costing nothing but the
   * calls; it is how the daemon-side time of a CNI call is broken down (netconf {@code "logLevel":
   * "debug"}).
   */
  public Steps steps(String op) {
    return enabled(Level.DEBUG) ? new Steps(this, op) : Steps.OFF;
  }

  /** See {@link #steps}. Not thread-safe: one per operation. */
  public static final class Steps {
    /** A timer that records nothing. */
    public static final Steps OFF = new Steps(null, "");

    private final CniLog log;
    private final String op;
    private final long start;
    private long last;
    private final List<Object> marks = new ArrayList<>();

    private Steps(CniLog log, String op) {
      this.log = log;
      this.op = op;
      this.start = System.nanoTime();
      this.last = start;
    }

    /** Ends the step {@code name}: the time since the previous mark (or the start). */
    public void mark(String name) {
      if (log == null) {
        return;
      }
      long now = System.nanoTime();
      marks.add(name);
      marks.add(ms(now - last));
      last = now;
    }

    /** Logs the marks and the total, with {@code keyValues}. */
    public void done(Object... keyValues) {
      if (log == null) {
        return;
      }
      List<Object> kv = new ArrayList<>();
      kv.add("op");
      kv.add(op);
      kv.addAll(Arrays.asList(keyValues));
      kv.addAll(marks);
      kv.add("total");
      kv.add(ms(System.nanoTime() - start));
      log.debug("step times", kv.toArray());
    }

    private static String ms(long nanos) {
      return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
  }

  private static void value(StringBuilder b, String v) {
    boolean quote = v.isEmpty();
    for (int i = 0; i < v.length() && !quote; i++) {
      char c = v.charAt(i);
      quote = c <= ' ' || c == '"' || c == '=' || c == 0x7f;
    }
    if (!quote) {
      b.append(v);
      return;
    }
    b.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
