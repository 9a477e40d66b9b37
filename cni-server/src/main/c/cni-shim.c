/*
 * The sriov-node CNI shim: installed as /opt/cni/bin/sriov and /opt/cni/bin/bond (one binary, two
 * names). A container runtime execs it as a CNI plugin; it forwards the call (the plugin name from
 * argv[0], the CNI_* environment, the netconf on stdin) to the node daemon's CNI server over a Unix
 * socket and relays the answer (stdout, stderr, exit status) byte for byte. When the server is
 * unreachable (no socket, connection refused, the server closing before it took the request) it
 * execs the standalone plugin with the same environment and stdin, so pods still come up.
 *
 * Protocol, configuration, error messages: cni-server/README.md. Built static by the cni-server
 * module's Maven build; no runtime dependency.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cni_wire.h"

/* Build-time defaults (-D on the compiler command line); the configuration file overrides them. */
#ifndef SHIM_SOCKET
#define SHIM_SOCKET "/var/run/sriov-node/cni.sock"
#endif
#ifndef SHIM_CONNECT_TIMEOUT_MS
#define SHIM_CONNECT_TIMEOUT_MS 1000
#endif
#ifndef SHIM_TIMEOUT_MS
#define SHIM_TIMEOUT_MS 60000
#endif
/* Empty: the directory the shim was called from. */
#ifndef SHIM_STANDALONE_DIR
#define SHIM_STANDALONE_DIR ""
#endif
#define SHIM_CONF_NAME "sriov-cni-shim.conf"
#define SHIM_STANDALONE_SUFFIX "-standalone"

/* CNI spec error codes. */
#define CNI_ERR_IO 5
#define CNI_ERR_TRY_AGAIN 11
/* The version the shim's own errors carry when the netconf names none it can read. */
#define DEFAULT_CNI_VERSION "1.1.0"

extern char **environ;

struct config {
  char socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
  long connect_timeout_ms;
  long timeout_ms;
  char standalone_dir[PATH_MAX];
};

struct buf {
  unsigned char *data;
  size_t len, cap;
};

static const char *plugin = "cni";
static char cni_version[16] = DEFAULT_CNI_VERSION;

/* ---------------------------------------------------------------- errors */

/* A JSON string as Go's encoding/json writes it (HTML-safe: <, >, & as u-escapes). */
static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\b': fputs("\\b", f); break;
      case '\f': fputs("\\f", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      case '<': case '>': case '&': fprintf(f, "\\u%04x", *p); break;
      default:
        if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
  }
  fputc('"', f);
}

/* Prints a CNI error on stdout, as libcni's skel and CniRunner print theirs (Go's MarshalIndent
 * with four spaces, no final newline), and exits 1. details may be NULL. */
static void __attribute__((noreturn, format(printf, 3, 4)))
fail(int code, const char *details, const char *fmt, ...) {
  char msg[2048];
  int n = snprintf(msg, sizeof msg, "%s shim: ", plugin);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  va_end(ap);
  printf("{\n    \"cniVersion\": \"%s\",\n    \"code\": %d,\n    \"msg\": ", cni_version, code);
  json_string(stdout, msg);
  if (details != NULL && *details != '\0') {
    fputs(",\n    \"details\": ", stdout);
    json_string(stdout, details);
  }
  fputs("\n}", stdout);
  fflush(stdout);
  exit(1);
}

/* ---------------------------------------------------------------- buffers and time */

static void buf_put(struct buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (d == NULL) fail(CNI_ERR_IO, NULL, "out of memory (%zu bytes)", cap);
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void put_u8(struct buf *b, unsigned v) {
  unsigned char c = (unsigned char)v;
  buf_put(b, &c, 1);
}

static void put_u16(struct buf *b, unsigned v) {
  unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
  buf_put(b, c, 2);
}

static void put_u32(struct buf *b, uint32_t v) {
  unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                        (unsigned char)v};
  buf_put(b, c, 4);
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline) {
  int64_t r = deadline - now_ms();
  return r < 0 ? 0 : r > INT_MAX ? INT_MAX : (int)r;
}

/* 1 ready, 0 timed out, -1 error (errno set; POLLNVAL is EBADF). */
static int wait_fd(int fd, short events, int64_t deadline) {
  for (;;) {
    struct pollfd p = {.fd = fd, .events = events};
    int r = poll(&p, 1, remaining_ms(deadline));
    if (r < 0 && errno == EINTR) continue;
    if (r > 0 && (p.revents & POLLNVAL)) {
      errno = EBADF;
      return -1;
    }
    return r < 0 ? -1 : r > 0;
  }
}

/* ---------------------------------------------------------------- configuration */

static void trim(char **s) {
  char *p = *s, *e;
  while (*p == ' ' || *p == '\t') p++;
  e = p + strlen(p);
  while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) e--;
  *e = '\0';
  *s = p;
}

static long millis(const char *file, int line, const char *key, const char *v) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (*v == '\0' || *end != '\0' || errno != 0 || n <= 0 || n > 86400000) {
    fail(CNI_ERR_IO, NULL, "%s line %d: %s needs milliseconds from 1 to 86400000, got \"%s\"", file,
         line, key, v);
  }
  return n;
}

/* Reads DIR/sriov-cni-shim.conf when it exists: key=value lines, '#' comments. */
static void read_config(struct config *c, const char *dir) {
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/%s", dir, SHIM_CONF_NAME) >= (int)sizeof path) return;
  FILE *f = fopen(path, "re");
  if (f == NULL) {
    if (errno == ENOENT) return;
    fail(CNI_ERR_IO, NULL, "cannot read %s: %s", path, strerror(errno));
  }
  char text[PATH_MAX + 64];
  int line = 0;
  while (fgets(text, sizeof text, f) != NULL) {
    line++;
    char *s = text;
    trim(&s);
    if (*s == '\0' || *s == '#') continue;
    char *eq = strchr(s, '=');
    if (eq == NULL) fail(CNI_ERR_IO, NULL, "%s line %d: expected key=value, got \"%s\"", path, line, s);
    *eq = '\0';
    char *key = s, *value = eq + 1;
    trim(&key);
    trim(&value);
    if (strcmp(key, "socket") == 0) {
      if (value[0] != '/' || strlen(value) >= sizeof c->socket) {
        fail(CNI_ERR_IO, NULL, "%s line %d: socket needs an absolute path of at most %zu bytes, got \"%s\"",
             path, line, sizeof c->socket - 1, value);
      }
      strcpy(c->socket, value);
    } else if (strcmp(key, "connect_timeout_ms") == 0) {
      c->connect_timeout_ms = millis(path, line, key, value);
    } else if (strcmp(key, "timeout_ms") == 0) {
      c->timeout_ms = millis(path, line, key, value);
    } else if (strcmp(key, "standalone_dir") == 0) {
      if (value[0] != '/' || strlen(value) >= sizeof c->standalone_dir) {
        fail(CNI_ERR_IO, NULL, "%s line %d: standalone_dir needs an absolute path, got \"%s\"", path,
             line, value);
      }
      strcpy(c->standalone_dir, value);
    } else {
      fail(CNI_ERR_IO, NULL, "%s line %d: unknown key \"%s\" (known: socket, connect_timeout_ms, timeout_ms, standalone_dir)",
           path, line, key);
    }
  }
  fclose(f);
}

/* The directory the shim was called from: argv[0]'s when it has a slash, else the executable's. */
static void own_dir(const char *argv0, char *dir, size_t size) {
  const char *slash = strrchr(argv0, '/');
  if (slash != NULL) {
    size_t n = slash == argv0 ? 1 : (size_t)(slash - argv0);
    snprintf(dir, size, "%.*s", (int)n, argv0);
    return;
  }
  ssize_t n = readlink("/proc/self/exe", dir, size - 1);
  if (n <= 0) {
    snprintf(dir, size, ".");
    return;
  }
  dir[n] = '\0';
  char *last = strrchr(dir, '/');
  if (last != NULL) *(last == dir ? last + 1 : last) = '\0';
}

static int valid_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > CNI_WIRE_MAX_NAME) return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (i > 0 && (ch == '-' || ch == '_'));
    if (!ok) return 0;
  }
  return 1;
}

/* ---------------------------------------------------------------- stdin and the netconf version */

static void read_stdin(struct buf *in, int64_t deadline, long timeout_ms) {
  unsigned char tmp[65536];
  for (;;) {
    int r = wait_fd(0, POLLIN, deadline);
    if (r < 0) {
      if (errno == EBADF) return; /* no stdin at all: an empty netconf */
      fail(CNI_ERR_IO, NULL, "cannot read the network configuration on stdin: %s", strerror(errno));
    }
    if (r == 0) fail(CNI_ERR_TRY_AGAIN, NULL, "stdin was not closed within %ld ms", timeout_ms);
    ssize_t n = read(0, tmp, sizeof tmp);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == EBADF) return;
      fail(CNI_ERR_IO, NULL, "cannot read the network configuration on stdin: %s", strerror(errno));
    }
    if (in->len + (size_t)n > CNI_WIRE_MAX_STDIN) {
      fail(CNI_ERR_IO, NULL, "the network configuration on stdin is larger than %d bytes",
           CNI_WIRE_MAX_STDIN);
    }
    buf_put(in, tmp, (size_t)n);
  }
}

static size_t skip_ws(const unsigned char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  return i;
}

/* Index after the JSON string starting at s[i] == '"', or n when unterminated. */
static size_t skip_string(const unsigned char *s, size_t n, size_t i) {
  for (i++; i < n; i++) {
    if (s[i] == '\\') i++;
    else if (s[i] == '"') return i + 1;
  }
  return n;
}

/* Index after the JSON value starting at s[i]: a string, a nested object/array, or a literal. */
static size_t skip_value(const unsigned char *s, size_t n, size_t i) {
  if (i < n && s[i] == '"') return skip_string(s, n, i);
  int depth = 0;
  while (i < n) {
    unsigned char ch = s[i];
    if (ch == '"') {
      i = skip_string(s, n, i);
      continue;
    }
    if (ch == '{' || ch == '[') depth++;
    if (ch == '}' || ch == ']') {
      if (depth == 0) return i;
      depth--;
      if (depth == 0) return i + 1;
    }
    if (ch == ',' && depth == 0) return i;
    i++;
  }
  return n;
}

/* The netconf's top-level "cniVersion" (digits and dots), for the shim's own error objects. */
static void find_cni_version(const unsigned char *s, size_t n) {
  size_t i = skip_ws(s, n, 0);
  if (i >= n || s[i] != '{') return;
  i++;
  for (;;) {
    i = skip_ws(s, n, i);
    if (i >= n || s[i] != '"') return;
    size_t key = i + 1, end = skip_string(s, n, i);
    if (end >= n) return;
    int is_version = end - key - 1 == 10 && memcmp(s + key, "cniVersion", 10) == 0;
    i = skip_ws(s, n, end);
    if (i >= n || s[i] != ':') return;
    i = skip_ws(s, n, i + 1);
    if (is_version && i < n && s[i] == '"') {
      size_t v = i + 1, ve = v;
      while (ve < n && ((s[ve] >= '0' && s[ve] <= '9') || s[ve] == '.')) ve++;
      if (ve < n && s[ve] == '"' && ve > v && ve - v < sizeof cni_version) {
        memcpy(cni_version, s + v, ve - v);
        cni_version[ve - v] = '\0';
      }
      return;
    }
    i = skip_ws(s, n, skip_value(s, n, i));
    if (i >= n || s[i] != ',') return;
    i++;
  }
}

/* ---------------------------------------------------------------- the request frame */

static void encode_request(struct buf *frame, const struct buf *in) {
  struct buf body = {0};
  size_t name_len = strlen(plugin);
  put_u8(&body, (unsigned)name_len);
  buf_put(&body, plugin, name_len);
  size_t prefix = strlen(CNI_WIRE_ENV_PREFIX);
  unsigned count = 0;
  for (char **e = environ; *e != NULL; e++) {
    if (strncmp(*e, CNI_WIRE_ENV_PREFIX, prefix) == 0 && strchr(*e, '=') != NULL) count++;
  }
  if (count > CNI_WIRE_MAX_ENV_ENTRIES) {
    fail(CNI_ERR_IO, NULL, "%u %s* environment variables; the CNI server takes at most %d", count,
         CNI_WIRE_ENV_PREFIX, CNI_WIRE_MAX_ENV_ENTRIES);
  }
  put_u16(&body, count);
  for (char **e = environ; *e != NULL; e++) {
    if (strncmp(*e, CNI_WIRE_ENV_PREFIX, prefix) != 0 || strchr(*e, '=') == NULL) continue;
    size_t len = strlen(*e);
    if (len > CNI_WIRE_MAX_ENV_ENTRY) {
      fail(CNI_ERR_IO, NULL, "environment variable %.*s is %zu bytes; the CNI server takes at most %d",
           (int)(strchr(*e, '=') - *e), *e, len, CNI_WIRE_MAX_ENV_ENTRY);
    }
    put_u32(&body, (uint32_t)len);
    buf_put(&body, *e, len);
  }
  put_u32(&body, (uint32_t)in->len);
  buf_put(&body, in->data, in->len);

  buf_put(frame, CNI_WIRE_MAGIC, 4);
  put_u8(frame, CNI_WIRE_VERSION);
  put_u8(frame, CNI_WIRE_KIND_REQUEST);
  put_u16(frame, 0);
  put_u32(frame, (uint32_t)body.len);
  buf_put(frame, body.data, body.len);
  free(body.data);
}

/* ---------------------------------------------------------------- the connection */

enum connect_result { CONNECTED, UNREACHABLE, CONNECT_FAILED };

static enum connect_result connect_server(const struct config *c, int *fd_out, char *why, size_t size) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, c->socket);
  int64_t deadline = now_ms() + c->connect_timeout_ms;
  for (;;) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
      snprintf(why, size, "socket: %s", strerror(errno));
      return CONNECT_FAILED;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
      *fd_out = fd;
      return CONNECTED;
    }
    int err = errno;
    if (err == EINPROGRESS) {
      int r = wait_fd(fd, POLLOUT, deadline);
      socklen_t len = sizeof err;
      if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
        *fd_out = fd;
        return CONNECTED;
      }
      if (r == 0) err = EAGAIN;
    }
    close(fd);
    if (err == EAGAIN || err == EINTR) {
      /* the server's backlog is full: it is alive but takes no connection; retry until the deadline */
      if (remaining_ms(deadline) == 0) {
        snprintf(why, size, "connect %s: the server took no connection within %ld ms", c->socket,
                 c->connect_timeout_ms);
        return UNREACHABLE;
      }
      struct timespec pause = {0, 5 * 1000 * 1000};
      nanosleep(&pause, NULL);
      continue;
    }
    snprintf(why, size, "connect %s: %s", c->socket, strerror(err));
    return err == ENOENT || err == ECONNREFUSED ? UNREACHABLE : CONNECT_FAILED;
  }
}

/* 0 sent; otherwise the errno (ETIMEDOUT when the deadline passed). */
static int send_all(int fd, const unsigned char *p, size_t n, int64_t deadline) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno != EAGAIN) return errno;
    int r = wait_fd(fd, POLLOUT, deadline);
    if (r == 0) return ETIMEDOUT;
    if (r < 0) return errno;
  }
  return 0;
}

/* 0 read all n bytes; otherwise the errno (ETIMEDOUT, or EPIPE for end of stream); *got = bytes read. */
static int recv_exact(int fd, unsigned char *p, size_t n, int64_t deadline, size_t *got) {
  *got = 0;
  while (*got < n) {
    ssize_t r = recv(fd, p + *got, n - *got, 0);
    if (r > 0) {
      *got += (size_t)r;
      continue;
    }
    if (r == 0) return EPIPE;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return errno;
    int w = wait_fd(fd, POLLIN, deadline);
    if (w == 0) return ETIMEDOUT;
    if (w < 0) return errno;
  }
  return 0;
}

static void __attribute__((noreturn, format(printf, 2, 3)))
malformed(const struct config *c, const char *fmt, ...) {
  char why[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  fail(CNI_ERR_IO, NULL, "malformed answer from the CNI server at %s: %s", c->socket, why);
}

/* Checks a frame header; returns its body length. */
static uint32_t check_header(const struct config *c, const unsigned char *h, int *kind) {
  if (memcmp(h, CNI_WIRE_MAGIC, 4) != 0) {
    malformed(c, "bad magic 0x%08x (expected \"%s\")", get_u32(h), CNI_WIRE_MAGIC);
  }
  if (h[4] != CNI_WIRE_VERSION) {
    malformed(c, "protocol version %u (this shim speaks %d)", h[4], CNI_WIRE_VERSION);
  }
  if (h[6] != 0 || h[7] != 0) malformed(c, "reserved header bytes are not zero");
  *kind = h[5];
  uint32_t body = get_u32(h + 8);
  if (*kind == CNI_WIRE_KIND_ACCEPTED && body != 0) {
    malformed(c, "an accepted frame with a %u-byte body", body);
  } else if (*kind == CNI_WIRE_KIND_ANSWER && body > CNI_WIRE_MAX_ANSWER_BODY) {
    malformed(c, "an answer body of %u bytes (the limit is %d)", body, CNI_WIRE_MAX_ANSWER_BODY);
  } else if (*kind != CNI_WIRE_KIND_ACCEPTED && *kind != CNI_WIRE_KIND_ANSWER) {
    malformed(c, "unexpected frame kind %d", *kind);
  }
  return body;
}

static void write_fd(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) exit(1); /* the runtime stopped reading: nothing left to tell it */
    p += w;
    n -= (size_t)w;
  }
}

/* Relays the answer body: stdout, stderr, then exits with the status. */
static void __attribute__((noreturn)) relay(const struct config *c, const unsigned char *b, uint32_t n) {
  if (n < 9) malformed(c, "an answer body of %u bytes is shorter than its 9 fixed bytes", n);
  unsigned status = b[0];
  uint32_t out = get_u32(b + 1);
  if (out > CNI_WIRE_MAX_STDOUT) malformed(c, "stdout of %u bytes (the limit is %d)", out, CNI_WIRE_MAX_STDOUT);
  if ((uint64_t)out + 9 > n) malformed(c, "stdout of %u bytes runs past the %u-byte body", out, n);
  uint32_t err = get_u32(b + 5 + out);
  if (err > CNI_WIRE_MAX_STDERR) malformed(c, "stderr of %u bytes (the limit is %d)", err, CNI_WIRE_MAX_STDERR);
  if ((uint64_t)out + err + 9 != n) {
    malformed(c, "stdout (%u) and stderr (%u) lengths do not add up to the %u-byte body", out, err, n);
  }
  write_fd(1, b + 5, out);
  write_fd(2, b + 9 + out, err);
  exit((int)status);
}

/* ---------------------------------------------------------------- the fallback */

static void __attribute__((noreturn))
fallback(const struct config *c, const char *own, const struct buf *in, const char *why) {
  char path[PATH_MAX];
  const char *dir = c->standalone_dir[0] != '\0' ? c->standalone_dir : own;
  if (snprintf(path, sizeof path, "%s/%s%s", dir, plugin, SHIM_STANDALONE_SUFFIX) >= (int)sizeof path) {
    fail(CNI_ERR_IO, why, "the CNI server is unreachable and the standalone plugin path is too long");
  }
  char details[PATH_MAX + 600];
  struct stat self, target;
  if (stat("/proc/self/exe", &self) == 0 && stat(path, &target) == 0 && self.st_dev == target.st_dev &&
      self.st_ino == target.st_ino) {
    snprintf(details, sizeof details, "%s; %s is this shim itself", why, path);
    fail(CNI_ERR_IO, details, "the CNI server is unreachable and the standalone plugin cannot be run");
  }
  int mfd = memfd_create("cni-stdin", 0);
  if (mfd < 0 || (in->len > 0 && write(mfd, in->data, in->len) != (ssize_t)in->len) ||
      lseek(mfd, 0, SEEK_SET) != 0 || dup2(mfd, 0) < 0) {
    snprintf(details, sizeof details, "%s; cannot pass stdin to %s: %s", why, path, strerror(errno));
    fail(CNI_ERR_IO, details, "the CNI server is unreachable and the standalone plugin cannot be run");
  }
  if (mfd != 0) close(mfd);
  dprintf(2, "%s shim: CNI server unreachable (%s); running the standalone plugin %s\n", plugin, why,
          path);
  char *args[] = {path, NULL};
  execve(path, args, environ);
  snprintf(details, sizeof details, "%s; execve %s: %s", why, path, strerror(errno));
  fail(CNI_ERR_IO, details, "the CNI server is unreachable and the standalone plugin cannot be run");
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv) {
  const char *argv0 = argc > 0 && argv[0] != NULL ? argv[0] : "";
  const char *base = strrchr(argv0, '/');
  base = base != NULL ? base + 1 : argv0;
  if (!valid_name(base)) {
    fail(CNI_ERR_IO, NULL,
         "cannot tell the plugin from the program name \"%s\" (install the shim as sriov or bond)", base);
  }
  plugin = base;

  struct config c = {.socket = SHIM_SOCKET,
                     .connect_timeout_ms = SHIM_CONNECT_TIMEOUT_MS,
                     .timeout_ms = SHIM_TIMEOUT_MS,
                     .standalone_dir = SHIM_STANDALONE_DIR};
  char own[PATH_MAX];
  own_dir(argv0, own, sizeof own);
  read_config(&c, own);
  int64_t deadline = now_ms() + c.timeout_ms;

  struct buf in = {0};
  read_stdin(&in, deadline, c.timeout_ms);
  find_cni_version(in.data, in.len);
  struct buf frame = {0};
  encode_request(&frame, &in);

  char why[PATH_MAX + 200];
  int fd = -1;
  switch (connect_server(&c, &fd, why, sizeof why)) {
    case UNREACHABLE:
      fallback(&c, own, &in, why);
    case CONNECT_FAILED:
      fail(CNI_ERR_IO, NULL, "cannot reach the CNI server: %s", why);
    case CONNECTED:
      break;
  }

  /* A send error is not final: a server that refuses (a non-root client, say) answers and closes
   * without reading the request, and that answer is what the user must see. */
  int send_err = send_all(fd, frame.data, frame.len, deadline);
  if (send_err == ETIMEDOUT) {
    fail(CNI_ERR_TRY_AGAIN, NULL, "the CNI server at %s did not read the request within %ld ms; it was not run",
         c.socket, c.timeout_ms);
  }

  unsigned char header[CNI_WIRE_HEADER_SIZE];
  int accepted = 0;
  for (;;) {
    size_t got;
    int err = recv_exact(fd, header, sizeof header, deadline, &got);
    if (err == ETIMEDOUT && !accepted && got == 0) {
      /* Close our reading side first: the server's "accepted" write then fails and it never runs
       * the request; a frame it wrote before is still read here. */
      shutdown(fd, SHUT_RD);
      deadline = now_ms();
      err = recv_exact(fd, header, sizeof header, deadline, &got);
      if (got == 0) {
        fail(CNI_ERR_TRY_AGAIN, NULL, "the CNI server at %s did not take the request within %ld ms; it was not run",
             c.socket, c.timeout_ms);
      }
      if (err != 0) err = ETIMEDOUT;
    }
    if (err == ETIMEDOUT) {
      fail(CNI_ERR_TRY_AGAIN, NULL, "the CNI server at %s took the request but did not answer within %ld ms",
           c.socket, c.timeout_ms);
    }
    if (err != 0 && got == 0 && !accepted && (err == EPIPE || err == ECONNRESET)) {
      /* closed before it took the request (stopping or restarting): the request was not run */
      snprintf(why, sizeof why, "%s closed the connection before it took the request%s%s", c.socket,
               send_err != 0 ? "; send: " : "", send_err != 0 ? strerror(send_err) : "");
      close(fd);
      fallback(&c, own, &in, why);
    }
    if (err == EPIPE || err == ECONNRESET) {
      fail(CNI_ERR_IO, NULL,
           "the CNI server at %s closed the connection during the call (it may have stopped); the outcome is unknown",
           c.socket);
    }
    if (err != 0) fail(CNI_ERR_IO, NULL, "lost the connection to the CNI server at %s: %s", c.socket, strerror(err));
    int kind;
    uint32_t body_len = check_header(&c, header, &kind);
    if (kind == CNI_WIRE_KIND_ACCEPTED) {
      if (accepted) malformed(&c, "a second accepted frame");
      accepted = 1;
      continue;
    }
    unsigned char *body = malloc(body_len ? body_len : 1);
    if (body == NULL) fail(CNI_ERR_IO, NULL, "out of memory (%u bytes)", body_len);
    err = recv_exact(fd, body, body_len, deadline, &got);
    if (err == ETIMEDOUT) {
      fail(CNI_ERR_TRY_AGAIN, NULL, "the CNI server at %s took the request but did not answer within %ld ms",
           c.socket, c.timeout_ms);
    }
    if (err == EPIPE) malformed(&c, "the connection closed after %zu of the answer's %u body bytes", got, body_len);
    if (err != 0) fail(CNI_ERR_IO, NULL, "lost the connection to the CNI server at %s: %s", c.socket, strerror(err));
    close(fd);
    relay(&c, body, body_len);
  }
}
