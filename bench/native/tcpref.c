/*
 * tcpref: the plain C measuring stick for churn.
 *
 * churn's performance goals are ratios: what churn does, against the same work done in C with
 * nothing in between, in the same run on the same machine. This program is that C side. It does
 * the least a program can do for each task, so whatever churn costs beyond it is churn's (or the
 * JDK's) own cost, and whatever both pay is the kernel's.
 *
 *   tcpref churn N [client|server]   N loopback connections opened and closed one after another;
 *                                    who closes first (default: the client)
 *   tcpref churn N client PORT       the client alone, against 127.0.0.1:PORT (tcpref serve PORT
 *                                    churn in another process)
 *   tcpref crr N [PORT]              N connections, each carrying a 1-byte request and a 1-byte
 *                                    response before the client closes (netperf's TCP_CRR shape);
 *                                    with PORT, the client alone, against 127.0.0.1:PORT
 *                                    (tcpref serve in another process, as churn's client is run)
 *   tcpref serve PORT crr|churn SECONDS
 *                                    the server side alone on 127.0.0.1:PORT for SECONDS, so that
 *                                    churn's client can be measured against a C server
 *                                    (`churn run --target 127.0.0.1:PORT`), apart from churn's sink
 *   tcpref count [REPS]              counts every TCP socket of both families by state, through
 *                                    /proc/net/tcp{,6} and through netlink inet_diag, each REPS
 *                                    times (default 9, at most 101), and gives the median time
 *
 * Each command prints one line of key=value pairs (count: one per source), which
 * bench/scripts/run-vs-tcpref.sh and monitor-vs-tcpref.sh read:
 *
 *   churn-client-closes cycles=N seconds=S per_second=R us_per_cycle=U
 *   churn-server-closes ...   crr ...
 *   serve-crr port=P seconds=S served=N failed=F
 *   proc total=T ESTABLISHED=n ... median_ms=M min_ms=m
 *   netlink total=T ... median_ms=M min_ms=m
 *
 * Build: cc -O2 -pthread -o tcpref tcpref.c        (libc and the Linux UAPI headers only)
 * Exit: 0 done, 1 a system call failed (perror says which), 2 bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock: the same clock as Java's System.nanoTime. */
static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void fail(const char *call) {
    perror(call);
    exit(1);
}

static int usage(void) {
    fprintf(stderr, "usage: tcpref churn N [client|server] | tcpref churn N client PORT | tcpref crr N [PORT] | tcpref serve PORT crr|churn SECONDS"
                    " | tcpref count [reps]\n");
    return 2;
}

/* A positive count, or -1: atol would turn "20k" into 20 and measure the wrong thing silently. */
static long parse_count(const char *text) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    return errno == 0 && *end == '\0' && value > 0 ? value : -1;
}

/* ---- churn and crr: one client thread, one server thread, loopback ------------------------- */

enum shape { CLIENT_CLOSES, SERVER_CLOSES, REQUEST_RESPONSE };

struct sink {
    int listener;
    long connections;
    enum shape shape;
};

/*
 * The server side, churn's SinkServer in C: accept, then per shape
 *   client closes:   read until the client's FIN (read returns 0), then close;
 *   server closes:   close at once, so the server sends the first FIN and keeps the TIME_WAIT;
 *   crr:             read the request byte, write the response byte, then as client closes.
 * Syscalls per connection: accept, [read, write,] read (EOF), close.
 */
static void *sink_loop(void *arg) {
    struct sink *sink = arg;
    char byte;
    for (long i = 0; i < sink->connections; i++) {
        int fd = accept(sink->listener, NULL, NULL);
        if (fd < 0) fail("accept");
        if (sink->shape == REQUEST_RESPONSE &&
            (read(fd, &byte, 1) != 1 || write(fd, &byte, 1) != 1)) fail("server read/write");
        if (sink->shape != SERVER_CLOSES) {
            while (read(fd, &byte, 1) > 0) {
            }
        }
        close(fd);
    }
    return NULL;
}

/*
 * A listener on *address (127.0.0.1; port 0: the kernel picks one, written back into *address).
 * The backlog is somaxconn's default: the accept queue never drops a SYN on this load.
 */
static int loopback_listener(struct sockaddr_in *address) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) fail("socket");
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(listener, (struct sockaddr *)address, sizeof *address) < 0) fail("bind");
    if (listen(listener, 4096) < 0) fail("listen");
    socklen_t length = sizeof *address;
    if (getsockname(listener, (struct sockaddr *)address, &length) < 0) fail("getsockname");
    return listener;
}

/*
 * The client side, what `churn run --transport raw` does through FFM, minus the timing:
 *   socket(AF_INET, SOCK_STREAM), connect to 127.0.0.1:<listener>, [write, read,] close.
 * Three system calls per connection in the plain case. No options are set: linger off, the
 * kernel picks the ephemeral port. A failure of any call ends the program (churn counts and
 * survives failures; a reference that fails has measured nothing). With target_port 0 the server
 * is a thread of this process (sink_loop), else it is whoever listens on 127.0.0.1:target_port.
 */
static int run_connections(long n, enum shape shape, int target_port) {
    struct sink sink = {.connections = n, .shape = shape};
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)target_port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    pthread_t server;
    if (target_port == 0) {
        sink.listener = loopback_listener(&address);
        if (pthread_create(&server, NULL, sink_loop, &sink) != 0) fail("pthread_create");
    }
    double start = seconds_now();
    char byte = 'x';
    for (long i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) fail("socket");
        if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) fail("connect");
        if (shape == REQUEST_RESPONSE) {
            if (write(fd, &byte, 1) != 1 || read(fd, &byte, 1) != 1) fail("client write/read");
        } else if (shape == SERVER_CLOSES) {
            /* wait for the server's FIN, so the server really closes first */
            if (read(fd, &byte, 1) != 0) fail("read (expected the server's FIN)");
        }
        close(fd);
    }
    if (target_port == 0) {
        /* the clock stops when the server has closed its last connection too. churn's window ends at its
         * client's last close (Generation.lastEndNanos), one server read and close earlier: microseconds in a
         * run of a second, against C */
        pthread_join(server, NULL);
    }
    double elapsed = seconds_now() - start;
    if (target_port == 0) close(sink.listener);

    const char *name = shape == REQUEST_RESPONSE ? "crr"
                       : shape == SERVER_CLOSES  ? "churn-server-closes"
                                                 : "churn-client-closes";
    printf("%s cycles=%ld seconds=%.4f per_second=%.0f us_per_cycle=%.2f\n",
           name, n, elapsed, n / elapsed, elapsed / n * 1e6);
    return 0;
}

/* ---- serve: the server side alone, for a client of churn's ----------------------------------- */

static volatile sig_atomic_t serve_over;
static int serve_listener = -1;

/*
 * An alarm between the loop's test of serve_over and accept() would leave accept() blocked, for
 * good once the client has gone: so the handler also shuts the listener down (shutdown(2) is
 * async-signal-safe), which ends a blocked accept() and fails every later one.
 */
static void serve_alarm(int signal_number) {
    (void)signal_number;
    serve_over = 1;
    if (serve_listener >= 0) shutdown(serve_listener, SHUT_RDWR);
}

/*
 * sink_loop's work on 127.0.0.1:PORT until SECONDS have passed, one connection after another, for a
 * client that is not ours: a connection the client resets (churn's warm-up closes with SO_LINGER 0)
 * or abandons is counted as failed and the next one served, where sink_loop would stop. The same
 * system calls per connection as sink_loop's.
 */
static int serve(int port, enum shape shape, long seconds) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int listener = loopback_listener(&address);
    serve_listener = listener;
    /* no SA_RESTART: the alarm ends a blocked accept or read with EINTR */
    struct sigaction alarm_action = {.sa_handler = serve_alarm};
    sigaction(SIGALRM, &alarm_action, NULL);
    signal(SIGPIPE, SIG_IGN); /* a response written to a reset connection fails, it does not kill us */
    alarm((unsigned)seconds);
    long served = 0, failed = 0;
    char byte;
    while (!serve_over) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) {
            if (serve_over) break; /* the alarm: EINTR, or EINVAL from the listener it shut down */
            if (errno == EINTR || errno == ECONNABORTED) continue;
            fail("accept");
        }
        int ok = 1;
        if (shape == REQUEST_RESPONSE) ok = read(fd, &byte, 1) == 1 && write(fd, &byte, 1) == 1;
        if (ok && shape != SERVER_CLOSES) {
            ssize_t r;
            while ((r = read(fd, &byte, 1)) > 0) {
            }
            ok = r == 0;
        }
        close(fd);
        if (ok) served++;
        else failed++;
    }
    close(listener);
    printf("serve-%s port=%d seconds=%ld served=%ld failed=%ld\n",
           shape == REQUEST_RESPONSE ? "crr" : "churn", port, seconds, served, failed);
    return 0;
}

/* ---- count: one full sample of the state table, as churn's monitor sources take it ---------- */

#define STATE_SLOTS 16 /* the state is 4 bits wide in both interfaces */

/* include/net/tcp_states.h; 12 and 13 are kernel-internal and never expected here */
static const char *const STATE_NAMES[STATE_SLOTS] = {
    "?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE", "?", "?"};

typedef long (*counter)(long counts[STATE_SLOTS]);

/*
 * netlink: what churn's NetlinkSource does. socket(AF_NETLINK), one sendto of a dump request for
 * every state, then recv until NLMSG_DONE. Every dump walks the kernel's whole established hash
 * (whatever filter one would give), so its work dominates, and a SOCK_DIAG_BY_FAMILY dump covers
 * one address family: ss asks one per family and walks the hash twice. The older TCPDIAG_GETSOCK
 * request, which the kernel still serves (as a dump of family AF_UNSPEC: both), walks it once, as
 * NetlinkSource has since 2026-12-02; so does this reference. The 1 MiB buffer lets each recv
 * carry as many messages as the kernel will put in one.
 */
static long count_netlink(long counts[STATE_SLOTS]) {
    static char reply[1 << 20];
    long total = 0;
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) fail("socket(AF_NETLINK)");
    struct {
        struct nlmsghdr header;
        struct inet_diag_req request;
    } message;
    memset(&message, 0, sizeof message);
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = TCPDIAG_GETSOCK;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = 1;
    message.request.idiag_states = (1u << 12) - 1; /* states 0..11: all of TCP's */
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(fd, &message, sizeof message, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
        fail("sendto(netlink)");
    int done = 0;
    while (!done) {
        ssize_t length = recv(fd, reply, sizeof reply, 0);
        if (length < 0) fail("recv(netlink)");
        struct nlmsghdr *h = (struct nlmsghdr *)reply;
        for (; NLMSG_OK(h, length); h = NLMSG_NEXT(h, length)) {
            if (h->nlmsg_type == NLMSG_DONE) {
                done = 1;
                break;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                fprintf(stderr, "tcpref: the kernel answered the inet_diag dump with an error\n");
                exit(1);
            }
            const struct inet_diag_msg *socket_info = NLMSG_DATA(h);
            counts[socket_info->idiag_state % STATE_SLOTS]++;
            total++;
        }
    }
    close(fd);
    return total;
}

/* Reads a whole file into *text (grown as needed); returns its length, or -1 if it can't open. */
static long read_whole(const char *path, char **text, size_t *capacity) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = 0;
    for (;;) {
        if (length == *capacity) {
            *capacity = *capacity ? *capacity * 2 : 1u << 20;
            if (!(*text = realloc(*text, *capacity))) fail("realloc");
        }
        ssize_t got = read(fd, *text + length, *capacity - length);
        if (got < 0) fail("read(/proc)");
        if (got == 0) break;
        length += (size_t)got;
    }
    close(fd);
    return (long)length;
}

/*
 * /proc: what churn's ProcNetTcpSource does. The kernel formats every socket as a line of text,
 * 4 KiB per read(2), which costs it more than the dump; this side only finds the fourth field,
 * "st", two hex digits, of each line after the header:
 *    sl  local_address rem_address   st tx_queue ...
 *    0: 0100007F:1F90 00000000:0000 0A 00000000:...
 */
static long count_proc(long counts[STATE_SLOTS]) {
    static char *text;
    static size_t capacity;
    const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    long total = 0;
    for (unsigned f = 0; f < sizeof files / sizeof files[0]; f++) {
        long length = read_whole(files[f], &text, &capacity);
        if (length < 0) continue; /* no IPv6 in this kernel: nothing to count */
        const char *end = text + length;
        const char *line = memchr(text, '\n', (size_t)length); /* skip the header */
        while (line && ++line < end) {
            const char *eol = memchr(line, '\n', (size_t)(end - line));
            if (!eol) eol = end;
            const char *p = line;
            for (int field = 0; field < 4; field++) { /* to the start of field 0, 1, 2, then 3 */
                while (p < eol && *p == ' ') p++;
                if (field < 3) {
                    while (p < eol && *p != ' ') p++;
                }
            }
            if (eol - p >= 2) {
                char hex[3] = {p[0], p[1], '\0'};
                counts[strtol(hex, NULL, 16) % STATE_SLOTS]++;
                total++;
            }
            line = eol;
        }
    }
    return total;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Times reps full samples; prints the last one's counts, then the median and fastest time. */
static void time_source(const char *name, counter count, int reps) {
    double took[101];
    long counts[STATE_SLOTS] = {0};
    long total = 0;
    for (int i = 0; i < reps; i++) {
        memset(counts, 0, sizeof counts);
        double start = seconds_now();
        total = count(counts);
        took[i] = seconds_now() - start;
    }
    qsort(took, (size_t)reps, sizeof took[0], ascending);
    printf("%s total=%ld", name, total);
    for (int state = 1; state <= 13; state++) {
        if (counts[state]) printf(" %s=%ld", STATE_NAMES[state], counts[state]);
    }
    printf(" median_ms=%.3f min_ms=%.3f\n", took[reps / 2] * 1e3, took[0] * 1e3);
}

int main(int argc, char **argv) {
    const char *command = argc > 1 ? argv[1] : "";
    if (!strcmp(command, "churn") && argc >= 3 && argc <= 5) {
        long n = parse_count(argv[2]);
        enum shape shape = CLIENT_CLOSES;
        if (argc >= 4 && !strcmp(argv[3], "server")) shape = SERVER_CLOSES;
        else if (argc >= 4 && strcmp(argv[3], "client")) return usage();
        /* a server of another process closes first only when it is told to: serve has no such shape */
        long port = argc == 5 && shape == CLIENT_CLOSES ? parse_count(argv[4]) : argc == 5 ? -1 : 0;
        if (n < 1 || port < 0 || port > 65535) return usage();
        return run_connections(n, shape, (int)port);
    }
    if (!strcmp(command, "crr") && (argc == 3 || argc == 4)) {
        long n = parse_count(argv[2]);
        long port = argc == 4 ? parse_count(argv[3]) : 0;
        if (n < 1 || port < 0 || port > 65535) return usage();
        return run_connections(n, REQUEST_RESPONSE, (int)port);
    }
    if (!strcmp(command, "serve") && argc == 5) {
        long port = parse_count(argv[2]), seconds = parse_count(argv[4]);
        enum shape shape = !strcmp(argv[3], "crr") ? REQUEST_RESPONSE : CLIENT_CLOSES;
        if (port < 1 || port > 65535 || seconds < 1 || seconds > 3600 ||
            (strcmp(argv[3], "crr") && strcmp(argv[3], "churn"))) return usage();
        return serve((int)port, shape, seconds);
    }
    if (!strcmp(command, "count") && argc <= 3) {
        long reps = argc == 3 ? parse_count(argv[2]) : 9;
        if (reps < 1 || reps > 101) return usage();
        time_source("proc", count_proc, (int)reps);
        time_source("netlink", count_netlink, (int)reps);
        return 0;
    }
    return usage();
}
