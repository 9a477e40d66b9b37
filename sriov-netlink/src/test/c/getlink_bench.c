/*
 * The C baseline for RtnlBenchmark.getLinkByIndex: RTM_GETLINK for one ifindex
 * (IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS, as RtnlClient.link(int) sends it) over a
 * NETLINK_ROUTE socket with NETLINK_EXT_ACK, NETLINK_CAP_ACK and NETLINK_GET_STRICT_CHK on, the
 * reply sized with recv(MSG_PEEK|MSG_TRUNC) and then received, exactly like NetlinkSocket does.
 *
 * usage: getlink_bench IFINDEX ITERATIONS [peek=1|0]
 *        getlink_bench dump ITERATIONS      (RTM_GETLINK dump of every link, SKIP_STATS)
 * prints: p50, p99 and mean in ns after a warm-up.
 */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

static int dump_bench(int fd, int iterations) {
  struct {
    struct nlmsghdr n;
    struct ifinfomsg i;
    struct rtattr a;
    unsigned mask;
  } req;
  memset(&req, 0, sizeof req);
  req.n.nlmsg_len = sizeof req;
  req.n.nlmsg_type = RTM_GETLINK;
  req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.i.ifi_family = AF_UNSPEC;
  req.a.rta_len = RTA_LENGTH(sizeof(unsigned));
  req.a.rta_type = IFLA_EXT_MASK;
  req.mask = RTEXT_FILTER_SKIP_STATS;
  static char buf[65536];
  int warmup = 20;
  long long *samples = malloc(sizeof(long long) * iterations);
  int links = 0;
  for (int it = 0; it < warmup + iterations; it++) {
    long long t0 = now_ns();
    req.n.nlmsg_seq = it + 1;
    if (send(fd, &req, sizeof req, 0) < 0) { perror("send"); return 1; }
    int done = 0;
    links = 0;
    while (!done) {
      if (recv(fd, buf, 0, MSG_PEEK | MSG_TRUNC) < 0) { perror("recv peek"); return 1; }
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n < 0) { perror("recv"); return 1; }
      for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
        if (h->nlmsg_type == NLMSG_DONE) { done = 1; break; }
        if (h->nlmsg_type == NLMSG_ERROR) { fprintf(stderr, "dump error\n"); return 1; }
        links++;
      }
    }
    if (it >= warmup) samples[it - warmup] = now_ns() - t0;
  }
  qsort(samples, iterations, sizeof(long long), cmp);
  long long sum = 0;
  for (int i = 0; i < iterations; i++) sum += samples[i];
  printf("C dump links=%d iterations=%d: p50 %lld ns, p99 %lld ns, mean %lld ns\n", links,
         iterations, samples[iterations / 2], samples[(int)(iterations * 0.99)], sum / iterations);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s IFINDEX ITERATIONS [peek=1|0]\n", argv[0]);
    return 2;
  }
  int ifindex = atoi(argv[1]);
  int iterations = atoi(argv[2]);
  int peek = argc > 3 ? atoi(argv[3]) : 1;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) { perror("socket"); return 1; }
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
  if (strcmp(argv[1], "dump") == 0) return dump_bench(fd, iterations);

  struct {
    struct nlmsghdr n;
    struct ifinfomsg i;
    struct rtattr a;
    unsigned mask;
  } req;
  memset(&req, 0, sizeof req);
  req.n.nlmsg_len = sizeof req;
  req.n.nlmsg_type = RTM_GETLINK;
  req.n.nlmsg_flags = NLM_F_REQUEST;
  req.i.ifi_family = AF_UNSPEC;
  req.i.ifi_index = ifindex;
  req.a.rta_len = RTA_LENGTH(sizeof(unsigned));
  req.a.rta_type = IFLA_EXT_MASK;
  req.mask = RTEXT_FILTER_SKIP_STATS;

  static char buf[32768];
  int warmup = 20000;
  long long *samples = malloc(sizeof(long long) * iterations);
  for (int it = 0; it < warmup + iterations; it++) {
    long long t0 = now_ns();
    req.n.nlmsg_seq = it + 1;
    if (send(fd, &req, sizeof req, 0) < 0) { perror("send"); return 1; }
    if (peek && recv(fd, buf, 0, MSG_PEEK | MSG_TRUNC) < 0) { perror("recv peek"); return 1; }
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < (ssize_t)sizeof(struct nlmsghdr)) { perror("recv"); return 1; }
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    if (h->nlmsg_type != RTM_NEWLINK) { fprintf(stderr, "reply type %d\n", h->nlmsg_type); return 1; }
    if (it >= warmup) samples[it - warmup] = now_ns() - t0;
  }
  qsort(samples, iterations, sizeof(long long), cmp);
  long long sum = 0;
  for (int i = 0; i < iterations; i++) sum += samples[i];
  printf("C getlink ifindex=%d iterations=%d peek=%d: p50 %lld ns, p99 %lld ns, mean %lld ns\n",
         ifindex, iterations, peek, samples[iterations / 2], samples[(int)(iterations * 0.99)],
         sum / iterations);
  return 0;
}
