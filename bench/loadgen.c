/*
 * A small HTTP/1.1 load generator for bench/executor.bench.ts: one thread, epoll, keep-alive
 * connections, one request in flight per connection. Written in C because a load generator in
 * Node (autocannon) needs about a core of its own to offer 10,000 req/s, and the server under test
 * shares the same two cores.
 *
 *   loadgen HOST PORT PATH BODY_FILE CONNECTIONS SECONDS RATE
 *
 * RATE > 0: open loop. Request i is due at start + i/RATE whether or not earlier ones were answered,
 * and its latency runs from when it was due, so a stall is charged to every request it delays
 * (no coordinated omission, as wrk2 measures). RATE = 0: closed loop, each connection sends its
 * next request when the last is answered (saturation, as wrk measures).
 *
 * Prints one JSON object: requests answered, errors (non-2xx or broken connections), backlog
 * (open loop: requests due by the end that no connection was free to send), rps, and latency
 * percentiles in milliseconds. Linux only (epoll_pwait2: kernel 5.11, glibc 2.35); wrk cannot
 * offer a fixed rate and wrk2 is not packaged by Debian, hence this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536

typedef struct {
  int fd;
  int busy;
  double due;       /* when the request in flight was due (open loop) or sent (closed loop) */
  size_t sent;      /* bytes of the request written so far */
  size_t got;       /* bytes of the response read so far */
  long need;        /* total response bytes once the header is parsed, else -1 */
  char buf[BUF];
} conn_t;

static char *request;
static size_t request_len;
static struct sockaddr_in addr;
static double *lat;
static size_t nlat, caplat;
static long errors;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

static int dial(int ep, conn_t *c) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) die("socket");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) die("connect");
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
  c->fd = fd;
  c->busy = 0;
  return fd;
}

static void record(double ms) {
  if (nlat == caplat) {
    caplat = caplat ? caplat * 2 : 1 << 16;
    lat = realloc(lat, caplat * sizeof *lat);
    if (!lat) die("realloc");
  }
  lat[nlat++] = ms;
}

static void pump_write(conn_t *c) {
  while (c->busy && c->sent < request_len) {
    ssize_t n = write(c->fd, request + c->sent, request_len - c->sent);
    if (n < 0) return; /* EAGAIN: EPOLLOUT resumes it; a broken socket shows up on read */
    c->sent += n;
  }
}

static void start(conn_t *c, double due) {
  c->busy = 1;
  c->due = due;
  c->sent = 0;
  c->got = 0;
  c->need = -1;
  pump_write(c);
}

/* Reads what is there; returns 1 when a whole response has arrived, -1 when the connection broke. */
static int pump_read(conn_t *c) {
  for (;;) {
    ssize_t n = read(c->fd, c->buf + c->got, BUF - 1 - c->got);
    if (n == 0) return -1;
    if (n < 0) return errno == EAGAIN ? 0 : -1;
    c->got += n;
    c->buf[c->got] = 0;
    if (c->need < 0) {
      char *end = strstr(c->buf, "\r\n\r\n");
      if (!end) continue;
      char *cl = strcasestr(c->buf, "\r\ncontent-length:");
      if (!cl || cl > end) return -1; /* the servers measured here always send a length */
      c->need = (end + 4 - c->buf) + atol(cl + 17);
      if (strncmp(c->buf + 9, "2", 1) != 0) errors++;
    }
    if ((long)c->got >= c->need) return 1;
  }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double p) {
  if (nlat == 0) return 0;
  size_t i = (size_t)(p / 100.0 * (nlat - 1) + 0.5);
  return lat[i];
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: loadgen HOST PORT PATH BODY_FILE CONNECTIONS SECONDS RATE\n");
    return 2;
  }
  const char *host = argv[1], *path = argv[3];
  int port = atoi(argv[2]), nconn = atoi(argv[5]);
  double seconds = atof(argv[6]), rate = atof(argv[7]);

  FILE *f = fopen(argv[4], "rb");
  if (!f) die("body");
  static char body[BUF];
  size_t body_len = fread(body, 1, sizeof body - 1, f);
  fclose(f);
  request = malloc(body_len + 512);
  request_len = sprintf(request,
                        "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                        "Content-Length: %zu\r\n\r\n",
                        path, host, port, body_len);
  memcpy(request + request_len, body, body_len);
  request_len += body_len;

  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) die("host must be an IPv4 address");

  int ep = epoll_create1(0);
  conn_t *conns = calloc(nconn, sizeof *conns);
  for (int i = 0; i < nconn; i++) dial(ep, &conns[i]);

  double t0 = now(), end = t0 + seconds;
  long issued = 0; /* open loop: requests whose due time has been handed to a connection */
  int next_conn = 0;
  struct epoll_event evs[256];
  if (rate <= 0)
    for (int i = 0; i < nconn; i++) start(&conns[i], t0);

  for (;;) {
    double t = now();
    if (t >= end) break;
    if (rate > 0) {
      /* Hand every request that is due to an idle connection, in turn from where the last one
         went (so load spreads over all of them, as a balancer would); the rest wait, and their
         wait counts. */
      for (int k = 0; k < nconn; k++) {
        double due = t0 + issued / rate;
        if (due > t) break;
        conn_t *c = &conns[(next_conn + k) % nconn];
        if (!c->busy) {
          start(c, due);
          issued++;
          next_conn = (next_conn + k + 1) % nconn;
          k = -1;
        }
      }
    }
    /* With every connection busy, only an answer can let the next request go: wait for one. */
    int idle = 0;
    for (int i = 0; i < nconn && !idle; i++) idle = !conns[i].busy;
    double next = rate > 0 && idle ? t0 + issued / rate : end;
    /* Sleep until the next request is due (to the microsecond: a millisecond timer would send
       10,000 req/s as bursts of ten), or until a connection has something to say. */
    double wait = next - t;
    if (wait < 0) wait = 0;
    if (wait > 0.1) wait = 0.1;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(wait * 1e9)};
    int n = epoll_pwait2(ep, evs, 256, &ts, NULL);
    if (n < 0 && errno != EINTR) die("epoll_pwait2");
    for (int k = 0; k < n; k++) {
      conn_t *c = evs[k].data.ptr;
      if (evs[k].events & EPOLLOUT) pump_write(c);
      if (!(evs[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) || !c->busy) continue;
      int r = pump_read(c);
      if (r == 0) continue;
      double done = now();
      if (r < 0) {
        errors++;
        close(c->fd);
        dial(ep, c);
      } else {
        record((done - c->due) * 1000);
        c->busy = 0;
      }
      if (rate <= 0 && done < end) start(c, done);
    }
  }
  double elapsed = now() - t0;
  long backlog = rate > 0 ? (long)(elapsed * rate) - issued : 0;
  qsort(lat, nlat, sizeof *lat, cmp);
  printf("{\"requests\":%zu,\"errors\":%ld,\"backlog\":%ld,\"rps\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
         "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f}\n",
         nlat, errors, backlog < 0 ? 0 : backlog, nlat / elapsed, pct(50), pct(90), pct(99), pct(99.9), nlat ? lat[nlat - 1] : 0);
  return 0;
}
