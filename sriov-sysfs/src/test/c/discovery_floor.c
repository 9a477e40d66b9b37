/*
 * discovery_floor: a C baseline ("floor") for the sysfs discovery walk of sriov-sysfs.
 *
 * It issues the same file-system reads per PCI function as the Java walk
 * (io.sriov.sysfs.pci.SysfsDeviceDiscovery) and nothing else: no parsing beyond what is needed
 * to know how many virtfnN links to read, no objects, no logging. What it measures is therefore
 * the kernel cost of the reads plus a minimum of user-space work: the floor any implementation
 * of that walk pays on this machine.
 *
 * Per walk:
 *   list <root>/sys/bus/pci/devices (getdents64), then, per device (1 or N threads):
 *   open the device directory (O_DIRECTORY, follows the bus symlink) and, relative to it:
 *     read uevent, read numa_node, readlink iommu_group, readlink physfn (ENOENT on PFs),
 *     probe (openat) sriov_totalvfs, acpi_index, uio, infiniband (ENOENT on VFs);
 *       sriov_totalvfs and acpi_index are read when the probe opens them;
 *     PFs: read sriov_numvfs, readlink virtfn0..virtfn<numvfs-1>;
 *     list net/ (getdents64) and, per netdev found, read net/<if>/{mtu,type,address,operstate}
 *       and, for PFs only, net/<if>/speed.
 *   With --abs every access uses an absolute path (<root>/sys/bus/pci/devices/<dev>/<file>)
 *   instead of openat/readlinkat on the device directory's fd, so the kernel resolves the whole
 *   path (and the bus symlink) on every call.
 *
 * A file is read with ONE read(2) into a 4 KiB buffer: sysfs attributes are at most a page and
 * are returned whole by the first read; the files of the simulated node (tmpfs) are far smaller.
 * So a read costs openat + read + close = 3 syscalls.
 *
 * Output (one "key=value" line per figure): wall ms per walk (median, mean, min, max), CPU ms
 * per walk (getrusage user+sys of the process, all threads), device/PF/VF counts, syscalls per
 * walk (counted by this program, by kind) and failures. A failure is: a read that should
 * succeed and did not, or a probe that failed with an errno other than ENOENT. vf_ok counts VFs
 * whose every read succeeded and whose every probe gave ENOENT.
 *
 * Build: gcc -O2 -pthread -o discovery_floor discovery_floor.c
 * Usage: discovery_floor [--threads N] [--warmup W] [--walks M] [--abs] [--quiet] ROOT
 *   ROOT is the directory that contains sys/ ("/" for the machine's real sysfs).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
#define DEVICES_REL "sys/bus/pci/devices"
#define BUF 4096

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* Per-thread counters, summed after each walk. */
struct counters {
  long open, read, close, readlink, getdents;
  long devices, pfs, vfs, others, vf_ok, failures;
  char first_failure[256];
};

static int abs_mode;

/* One directory, addressed by fd (relative mode) or by absolute path (--abs). */
struct dir {
  int fd;
  char path[PATH_MAX];
  size_t len;
};

static void fail(struct counters *c, const struct dir *d, const char *rel, const char *op,
                 int err) {
  if (c->failures++ == 0 &&
      snprintf(c->first_failure, sizeof c->first_failure, "%s %s/%s: %s", op,
               abs_mode ? d->path : "<device dir fd>", rel, strerror(err)) < 0) {
    c->first_failure[0] = 0;
  }
}

/* Opens rel under d; returns fd or -errno. */
static int open_in(struct counters *c, const struct dir *d, const char *rel, int flags) {
  int fd;
  c->open++;
  if (abs_mode) {
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/%s", d->path, rel) >= (int)sizeof p) return -ENAMETOOLONG;
    fd = open(p, flags | O_CLOEXEC);
  } else {
    fd = openat(d->fd, rel, flags | O_CLOEXEC);
  }
  return fd < 0 ? -errno : fd;
}

static void close_fd(struct counters *c, int fd) {
  c->close++;
  close(fd);
}

/* Reads rel under d into buf (NUL-terminated); returns length or -errno. */
static ssize_t read_in(struct counters *c, const struct dir *d, const char *rel, char *buf) {
  int fd = open_in(c, d, rel, O_RDONLY);
  if (fd < 0) return fd;
  c->read++;
  ssize_t n = read(fd, buf, BUF - 1);
  int err = errno;
  close_fd(c, fd);
  if (n < 0) return -err;
  buf[n] = 0;
  return n;
}

/* readlink of rel under d; returns length or -errno. */
static ssize_t link_in(struct counters *c, const struct dir *d, const char *rel, char *buf) {
  ssize_t n;
  c->readlink++;
  if (abs_mode) {
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/%s", d->path, rel) >= (int)sizeof p) return -ENAMETOOLONG;
    n = readlink(p, buf, BUF - 1);
  } else {
    n = readlinkat(d->fd, rel, buf, BUF - 1);
  }
  if (n < 0) return -errno;
  buf[n] = 0;
  return n;
}

/*
 * Lists rel under d with getdents64 into names (each NUL-terminated, packed, "." and ".."
 * skipped); returns the number of names or -errno. names has room for cap bytes.
 */
static long list_in(struct counters *c, const struct dir *d, const char *rel, char *names,
                    size_t cap) {
  int fd = open_in(c, d, rel, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return fd;
  char buf[32768] __attribute__((aligned(8)));
  long count = 0;
  size_t used = 0;
  for (;;) {
    c->getdents++;
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) {
      int err = errno;
      close_fd(c, fd);
      return -err;
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
      struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
      off += e->d_reclen;
      if (e->d_name[0] == '.' &&
          (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0)))
        continue;
      size_t l = strlen(e->d_name) + 1;
      if (used + l > cap) {
        close_fd(c, fd);
        return -ENOBUFS;
      }
      memcpy(names + used, e->d_name, l);
      used += l;
      count++;
    }
  }
  close_fd(c, fd);
  return count;
}

/* Probe: open rel; ENOENT is an answer, not a failure. Returns 1 present, 0 absent, -errno. */
static int probe_in(struct counters *c, const struct dir *d, const char *rel, int flags, char *buf,
                    int read_it) {
  int fd = open_in(c, d, rel, flags);
  if (fd == -ENOENT) return 0;
  if (fd < 0) return fd;
  if (read_it) {
    c->read++;
    ssize_t n = read(fd, buf, BUF - 1);
    buf[n < 0 ? 0 : n] = 0;
  }
  close_fd(c, fd);
  return 1;
}

static void walk_device(struct counters *c, const struct dir *devices, const char *name) {
  struct dir d;
  char buf[BUF];
  ssize_t n;
  int ok = 1;
  c->devices++;
  if (abs_mode) {
    d.fd = -1;
    d.len = (size_t)snprintf(d.path, sizeof d.path, "%s/%s", devices->path, name);
  } else {
    d.fd = open_in(c, devices, name, O_RDONLY | O_DIRECTORY);
    if (d.fd < 0) {
      fail(c, devices, name, "open", -d.fd);
      return;
    }
  }

  if ((n = read_in(c, &d, "uevent", buf)) < 0 || !strstr(buf, "PCI_SLOT_NAME=")) {
    fail(c, &d, "uevent", "read", n < 0 ? (int)-n : EINVAL);
    ok = 0;
  }
  if ((n = read_in(c, &d, "numa_node", buf)) < 0) {
    fail(c, &d, "numa_node", "read", (int)-n);
    ok = 0;
  }
  if ((n = link_in(c, &d, "iommu_group", buf)) < 0 && n != -ENOENT) {
    fail(c, &d, "iommu_group", "readlink", (int)-n);
    ok = 0;
  } else if (n == -ENOENT) {
    ok = 0; /* absent IOMMU group: normal without an IOMMU, but not a complete VF */
  }
  n = link_in(c, &d, "physfn", buf);
  int is_vf = n >= 0;
  if (n < 0 && n != -ENOENT) {
    fail(c, &d, "physfn", "readlink", (int)-n);
    ok = 0;
  }

  /* Probes; sriov_totalvfs and acpi_index are read when present. */
  int is_pf = 0;
  int r = probe_in(c, &d, "sriov_totalvfs", O_RDONLY, buf, 1);
  if (r < 0) fail(c, &d, "sriov_totalvfs", "open", -r), ok = 0;
  if (r > 0) is_pf = !is_vf;
  if (r > 0 && is_vf) ok = 0; /* a VF with sriov_totalvfs: not what a VF looks like */
  static const char *const probes[] = {"acpi_index", "uio", "infiniband"};
  for (int i = 0; i < 3; i++) {
    r = probe_in(c, &d, probes[i], i == 0 ? O_RDONLY : O_RDONLY | O_DIRECTORY, buf, i == 0);
    if (r < 0) fail(c, &d, probes[i], "open", -r), ok = 0;
    if (r > 0 && is_vf) ok = 0;
  }

  if (is_pf) {
    c->pfs++;
    long numvfs = -1;
    if ((n = read_in(c, &d, "sriov_numvfs", buf)) < 0) {
      fail(c, &d, "sriov_numvfs", "read", (int)-n);
    } else {
      numvfs = strtol(buf, NULL, 10);
    }
    for (long i = 0; i < numvfs; i++) {
      char l[32];
      snprintf(l, sizeof l, "virtfn%ld", i);
      if ((n = link_in(c, &d, l, buf)) < 0) fail(c, &d, l, "readlink", (int)-n);
    }
  } else if (is_vf) {
    c->vfs++;
  } else {
    c->others++;
  }

  char names[BUF];
  long nn = list_in(c, &d, "net", names, sizeof names);
  if (nn < 0 && nn != -ENOENT) {
    fail(c, &d, "net", "list", (int)-nn);
    ok = 0;
  }
  if (nn <= 0) ok = 0; /* a VF of the simulated node always has a netdev */
  const char *ifn = names;
  for (long i = 0; i < nn; i++, ifn += strlen(ifn) + 1) {
    static const char *const attrs[] = {"mtu", "type", "address", "operstate", "speed"};
    for (int a = 0; a < (is_pf ? 5 : 4); a++) {
      char rel[PATH_MAX];
      if (snprintf(rel, sizeof rel, "net/%s/%s", ifn, attrs[a]) >= (int)sizeof rel) {
        fail(c, &d, ifn, "path", ENAMETOOLONG);
        continue;
      }
      /* speed of a link that is down reads EINVAL on real sysfs: an answer, not a failure */
      if ((n = read_in(c, &d, rel, buf)) < 0 && !(a == 4 && n == -EINVAL)) {
        fail(c, &d, rel, "read", (int)-n);
        ok = 0;
      }
    }
  }
  if (is_vf && ok) c->vf_ok++;
  if (!abs_mode) close_fd(c, d.fd);
}

/* ---- the walk: list devices, then N workers take devices from a shared index ---- */

static struct dir devices_dir;
static char *dev_names;         /* packed NUL-terminated names of the current walk */
static const char **dev_index; /* pointers into dev_names */
static long dev_count;
static atomic_long next_dev;
static int nthreads = 1;
static struct counters tcount[MAX_THREADS];
static pthread_barrier_t start_barrier, end_barrier;
static atomic_int stop;

static void work(struct counters *c) {
  for (;;) {
    long i = atomic_fetch_add_explicit(&next_dev, 1, memory_order_relaxed);
    if (i >= dev_count) return;
    walk_device(c, &devices_dir, dev_index[i]);
  }
}

static void *worker(void *arg) {
  struct counters *c = arg;
  for (;;) {
    pthread_barrier_wait(&start_barrier);
    if (atomic_load(&stop)) return NULL;
    work(c);
    pthread_barrier_wait(&end_barrier);
  }
}

#define NAMES_CAP (1 << 20)

static struct counters walk(void) {
  struct counters total;
  memset(&total, 0, sizeof total);
  memset(tcount, 0, sizeof tcount);
  /* The listing belongs to the walk and runs on the calling thread (counted in tcount[0]). */
  struct dir root = devices_dir;
  long n = list_in(&tcount[0], &root, ".", dev_names, NAMES_CAP);
  if (n < 0) {
    fprintf(stderr, "discovery_floor: cannot list %s: %s\n", devices_dir.path, strerror((int)-n));
    exit(2);
  }
  const char *p = dev_names;
  for (long i = 0; i < n; i++, p += strlen(p) + 1) dev_index[i] = p;
  dev_count = n;
  atomic_store(&next_dev, 0);
  if (nthreads == 1) {
    work(&tcount[0]);
  } else {
    pthread_barrier_wait(&start_barrier); /* workers 1..N-1 start */
    work(&tcount[0]);                     /* the calling thread is worker 0 */
    pthread_barrier_wait(&end_barrier);
  }
  for (int t = 0; t < nthreads; t++) {
    struct counters *c = &tcount[t];
    total.open += c->open, total.read += c->read, total.close += c->close;
    total.readlink += c->readlink, total.getdents += c->getdents;
    total.devices += c->devices, total.pfs += c->pfs, total.vfs += c->vfs;
    total.others += c->others, total.vf_ok += c->vf_ok;
    if (c->failures && !total.failures) strcpy(total.first_failure, c->first_failure);
    total.failures += c->failures;
  }
  return total;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_ms(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double mean(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += v[i];
  return s / n;
}

static void usage(const char *why) {
  fprintf(stderr,
          "discovery_floor: %s\n"
          "usage: discovery_floor [--threads N (1-%d)] [--warmup W] [--walks M (>=1)] [--abs] "
          "ROOT\n  ROOT: the directory that contains sys/ (\"/\" for the real sysfs)\n",
          why, MAX_THREADS);
  exit(64);
}

static long int_arg(const char *flag, const char *v, long min, long max) {
  char *end;
  if (!v) usage("missing value");
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || *end || end == v || x < min || x > max) {
    fprintf(stderr, "discovery_floor: %s must be an integer %ld-%ld: %s\n", flag, min, max, v);
    exit(64);
  }
  return x;
}

int main(int argc, char **argv) {
  int warmup = 3, walks = 20;
  const char *root = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads")) nthreads = (int)int_arg(argv[i], argv[i + 1], 1, MAX_THREADS), i++;
    else if (!strcmp(argv[i], "--warmup")) warmup = (int)int_arg(argv[i], argv[i + 1], 0, 100000), i++;
    else if (!strcmp(argv[i], "--walks")) walks = (int)int_arg(argv[i], argv[i + 1], 1, 100000), i++;
    else if (!strcmp(argv[i], "--abs")) abs_mode = 1;
    else if (argv[i][0] == '-') usage("unknown option");
    else if (root) usage("more than one ROOT");
    else root = argv[i];
  }
  if (!root) usage("ROOT missing");

  /* The root is opened once, like the injected root of the Java walk; the devices directory
     is reopened and relisted by every walk. */
  snprintf(devices_dir.path, sizeof devices_dir.path, "%s%s" DEVICES_REL, root,
           root[strlen(root) - 1] == '/' ? "" : "/");
  devices_dir.len = strlen(devices_dir.path);
  if (abs_mode) {
    devices_dir.fd = -1;
  } else {
    devices_dir.fd = open(devices_dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (devices_dir.fd < 0) {
      fprintf(stderr, "discovery_floor: cannot open %s: %s\n", devices_dir.path, strerror(errno));
      return 2;
    }
  }
  dev_names = malloc(NAMES_CAP);
  dev_index = malloc(sizeof *dev_index * (NAMES_CAP / 2));

  pthread_t tids[MAX_THREADS];
  if (nthreads > 1) {
    pthread_barrier_init(&start_barrier, NULL, nthreads);
    pthread_barrier_init(&end_barrier, NULL, nthreads);
    for (int t = 1; t < nthreads; t++) pthread_create(&tids[t], NULL, worker, &tcount[t]);
  }

  for (int i = 0; i < warmup; i++) walk();
  double *wall = malloc(sizeof(double) * walks), *cpu = malloc(sizeof(double) * walks);
  struct counters last;
  long failures = 0;
  for (int i = 0; i < walks; i++) {
    double c0 = cpu_ms(), t0 = now_ms();
    last = walk();
    wall[i] = now_ms() - t0;
    cpu[i] = cpu_ms() - c0;
    failures += last.failures;
    if (last.failures)
      fprintf(stderr, "discovery_floor: walk %d: %ld failures, first: %s\n", i, last.failures,
              last.first_failure);
  }

  if (nthreads > 1) {
    atomic_store(&stop, 1);
    pthread_barrier_wait(&start_barrier);
    for (int t = 1; t < nthreads; t++) pthread_join(tids[t], NULL);
  }

  long syscalls = last.open + last.read + last.close + last.readlink + last.getdents;
  double wall_mean = mean(wall, walks), cpu_mean = mean(cpu, walks);
  double wall_med = median(wall, walks), cpu_med = median(cpu, walks);
  printf("mode=%s threads=%d warmup=%d walks=%d root=%s\n", abs_mode ? "abs" : "openat", nthreads,
         warmup, walks, devices_dir.path);
  printf("devices=%ld pfs=%ld vfs=%ld others=%ld vf_ok=%ld failures=%ld\n", last.devices,
         last.pfs, last.vfs, last.others, last.vf_ok, failures);
  printf("wall_ms median=%.2f mean=%.2f min=%.2f max=%.2f\n", wall_med, wall_mean, wall[0],
         wall[walks - 1]);
  printf("cpu_ms median=%.2f mean=%.2f\n", cpu_med, cpu_mean);
  printf("syscalls_per_walk=%ld open=%ld read=%ld close=%ld readlink=%ld getdents=%ld\n", syscalls,
         last.open, last.read, last.close, last.readlink, last.getdents);
  if (last.devices)
    printf("per_device wall_us=%.2f cpu_us=%.2f syscalls=%.1f cpu_us_per_syscall=%.3f\n",
           wall_med * 1e3 / last.devices, cpu_med * 1e3 / last.devices,
           (double)syscalls / last.devices, cpu_med * 1e3 / syscalls);
  return failures ? 1 : 0;
}
