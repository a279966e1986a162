/*
 * sockhold: holds a crowded, known socket table for the monitor's performance figures.
 *
 * `churn monitor --by process` has to find each socket's owner among many processes, and a
 * sample's cost grows with the socket table; measuring either needs tens of thousands of sockets
 * spread over a few hundred processes, standing still while the measurements alternate. This
 * program builds that table and holds it:
 *
 *   sockhold (the parent) listens on 127.0.0.1:PORT and forks A acceptors ("sockhold-s", sharing
 *   the listener, like a pre-forking server) that accept and hold the server ends, and P clients
 *   ("sockhold-c") that each open C connections and hold the client ends. Of each client's
 *   connections, by its percentile b = i * 100 / C (i = 0..C-1):
 *     b <  T                 the client closes: client TIME_WAIT (no owner; the kernel drops it
 *                            60 s later), and the acceptor closes its end at the EOF;
 *     T <= b < T + S         the client sends one byte asking for the server's close, and the
 *                            acceptor shuts its sending side (shutdown SHUT_WR, fd kept): the
 *                            client's end goes CLOSE_WAIT and stays (the leak), the acceptor's
 *                            FIN_WAIT2, held. A full close would orphan the FIN_WAIT2 and the
 *                            kernel would drop it after tcp_fin_timeout; held, the table stands still;
 *     otherwise              ESTABLISHED on both ends.
 *   Several acceptors, not one, because one process may not hold more descriptors than its hard
 *   RLIMIT_NOFILE (raising it needs CAP_SYS_RESOURCE, which containers often lack): each accepts
 *   at most its share, ceil(n * c / A), then leaves the listener to the others.
 *
 *   sockhold [-p PORT] [-n PROCESSES] [-c CONNECTIONS] [-t PCT] [-s PCT] [-a ACCEPTORS] [-l SECONDS]
 *     -p  listening port on 127.0.0.1 (default 7400)
 *     -n  client processes (default 250, at most 4000)
 *     -c  connections per client process (default 100; n * c at most 200,000)
 *     -t  percent of connections the client closes: TIME_WAIT (default 10)
 *     -s  percent the server shuts down and the client holds: CLOSE_WAIT (default 10)
 *     -a  acceptor processes (default: one per 10,000 connections, at least 1)
 *     -l  time limit in seconds for setting up and holding, 1..3600 (default 600)
 *
 * When every client has reported and the acceptors hold exactly what the clients made (their
 * ends of client-closed connections closed, the asked-for ones shut down), it prints one line:
 *
 *   ready pid=P processes=250 acceptors=3 connections=25000 established=20000 time_wait=2500
 *         close_wait=2500 failed=0 setup_seconds=S
 *
 * and holds until its standard input closes, SIGTERM or SIGINT, or the time limit; then it prints
 * "done held_seconds=S" and every process exits. A failed socket, connect, write, accept or
 * shutdown is counted into failed= (each client's first error goes to standard error); a run with
 * failures exits 1. Unlike churn it does not retry: a table that is not what was asked for is
 * reported, not repaired.
 *
 * Needs ephemeral ports for n * c connections to one destination: the default
 * ip_local_port_range has 28,232, and connect's port search slows as they fill, so a namespace
 * with a wider range sets up faster (monitor-groups.sh gives it 20000-60999).
 *
 * Build: cc -O2 -o sockhold sockhold.c   (bench/native/build.sh sockhold does it)
 * Exit: 0 held and released, 1 a system call or connections failed, 2 bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCESSES 4000
#define MAX_ACCEPTORS 64
#define MAX_CONNECTIONS 200000L
#define PER_ACCEPTOR_DEFAULT 10000L

/*
 * What each child tells the parent, in memory shared by all (MAP_SHARED, one slot per child, one
 * writer per slot). A client fills its slot and sets done last; an acceptor keeps its counters
 * current. The parent reads them with acquire loads every few milliseconds.
 */
struct slot {
    long connected;     /* client: connects that succeeded; acceptor: connections accepted */
    long failed;        /* failed system calls */
    long client_closed; /* client: closed at once (TIME_WAIT); acceptor: ends closed at the client's EOF */
    long server_asked;  /* client: asked for the server's close (CLOSE_WAIT); acceptor: ends shut down */
    int first_errno;    /* errno of the first failure, 0 when none */
    int done;           /* client: finished connecting */
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

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
    fprintf(stderr, "usage: sockhold [-p PORT] [-n PROCESSES] [-c CONNECTIONS] [-t PCT] [-s PCT] [-a ACCEPTORS] [-l SECONDS]\n");
    return 2;
}

/* A number in [low, high], or -1: atol would turn "25k" into 25 and build the wrong table silently. */
static long parse_bounded(const char *text, long low, long high) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    return errno == 0 && *end == '\0' && value >= low && value <= high ? value : -1;
}

static long load(const long *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

static void store(long *p, long v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

static void note_failure(struct slot *s, int err) {
    if (!s->first_errno) s->first_errno = err;
    store(&s->failed, s->failed + 1);
}

/* Blocks until the parent closes its end of the hold pipe (or dies: PR_SET_PDEATHSIG kills us). */
static void hold_until_parent_goes(int hold_fd) {
    char byte;
    while (read(hold_fd, &byte, 1) < 0 && errno == EINTR) {
    }
}

/*
 * A client: C blocking connects to the listener; the TIME_WAIT band closed at once, the
 * CLOSE_WAIT band asks for the server's close with one byte, the rest held. Never closes what it
 * holds: the kernel does when the process exits.
 */
static void client(struct slot *s, int port, long connections, long tw_pct, long cw_pct, int hold_fd) {
    prctl(PR_SET_NAME, "sockhold-c");
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (long i = 0; i < connections; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
            note_failure(s, errno);
            if (fd >= 0) close(fd);
            continue;
        }
        long band = i * 100 / connections; /* this connection's percentile among the client's */
        if (band < tw_pct) {
            close(fd);
            store(&s->client_closed, s->client_closed + 1);
        } else if (band < tw_pct + cw_pct) {
            if (write(fd, "S", 1) != 1) {
                note_failure(s, errno);
                close(fd);
                continue;
            }
            store(&s->server_asked, s->server_asked + 1);
        }
        store(&s->connected, s->connected + 1);
    }
    __atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
    hold_until_parent_goes(hold_fd);
    _exit(0);
}

/*
 * An acceptor: accepts (non-blocking, from the shared listener) until it holds `share`
 * connections, then stops watching the listener so the others take the rest. Watches every end
 * it accepted: one byte means shut down the sending side, EOF means close.
 */
static void acceptor(struct slot *s, int listener, long share, int hold_fd) {
    prctl(PR_SET_NAME, "sockhold-s");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) fail("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) < 0) fail("epoll_ctl(listener)");
    ev.data.fd = hold_fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, hold_fd, &ev) < 0) fail("epoll_ctl(hold)");
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("epoll_wait");
        }
        for (int e = 0; e < n; e++) {
            int fd = events[e].data.fd;
            if (fd == hold_fd) {
                _exit(0);
            } else if (fd == listener) {
                while (s->connected < share) {
                    int a = accept4(listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                    if (a < 0) {
                        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) break;
                        note_failure(s, errno);
                        perror("sockhold: accept");
                        break;
                    }
                    struct epoll_event ae = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = a};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, a, &ae) < 0) fail("epoll_ctl(accepted)");
                    store(&s->connected, s->connected + 1);
                }
                if (s->connected >= share) epoll_ctl(ep, EPOLL_CTL_DEL, listener, NULL);
            } else {
                char byte;
                ssize_t got = read(fd, &byte, 1);
                if (got == 1) {
                    if (shutdown(fd, SHUT_WR) < 0) {
                        note_failure(s, errno);
                    } else {
                        store(&s->server_asked, s->server_asked + 1);
                    }
                } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                    close(fd);
                    store(&s->client_closed, s->client_closed + 1);
                }
            }
        }
    }
}

int main(int argc, char **argv) {
    long port = 7400, processes = 250, per_client = 100, tw_pct = 10, cw_pct = 10, acceptors = 0, limit_seconds = 600;
    int opt;
    while ((opt = getopt(argc, argv, "p:n:c:t:s:a:l:")) != -1) {
        long *target;
        long low = 0, high = 100;
        switch (opt) {
            case 'p': target = &port; low = 1; high = 65535; break;
            case 'n': target = &processes; low = 1; high = MAX_PROCESSES; break;
            case 'c': target = &per_client; low = 1; high = MAX_CONNECTIONS; break;
            case 't': target = &tw_pct; break;
            case 's': target = &cw_pct; break;
            case 'a': target = &acceptors; low = 1; high = MAX_ACCEPTORS; break;
            case 'l': target = &limit_seconds; low = 1; high = 3600; break;
            default: return usage();
        }
        if ((*target = parse_bounded(optarg, low, high)) < 0) {
            fprintf(stderr, "sockhold: -%c %s: not a number in %ld..%ld\n", opt, optarg, low, high);
            return 2;
        }
    }
    if (optind != argc) return usage();
    long total = processes * per_client;
    if (total > MAX_CONNECTIONS) {
        fprintf(stderr, "sockhold: %ld processes x %ld connections is more than %ld connections\n",
                processes, per_client, MAX_CONNECTIONS);
        return 2;
    }
    if (tw_pct + cw_pct > 100) {
        fprintf(stderr, "sockhold: -t %ld and -s %ld add up to more than 100 percent\n", tw_pct, cw_pct);
        return 2;
    }
    if (acceptors == 0) acceptors = (total + PER_ACCEPTOR_DEFAULT - 1) / PER_ACCEPTOR_DEFAULT;
    long share = (total + acceptors - 1) / acceptors;

    /* Enough descriptors for each acceptor's share (and each client's connections), within the hard limit. */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) < 0) fail("getrlimit");
    rlim_t needed = (rlim_t)(share > per_client ? share : per_client) + 64;
    if (nofile.rlim_cur < needed) {
        if (nofile.rlim_max != RLIM_INFINITY && nofile.rlim_max < needed) {
            fprintf(stderr, "sockhold: %ld connections per acceptor need %lu descriptors, the hard limit is %lu: "
                    "give more acceptors (-a)\n", share, (unsigned long)needed, (unsigned long)nofile.rlim_max);
            return 2;
        }
        nofile.rlim_cur = needed;
        if (setrlimit(RLIMIT_NOFILE, &nofile) < 0) fail("setrlimit(RLIMIT_NOFILE)");
    }

    double start = seconds_now();
    double deadline = start + (double)limit_seconds;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listener < 0) fail("socket");
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0) fail("bind");
    if (listen(listener, 4096) < 0) fail("listen"); /* somaxconn's default */

    long children = acceptors + processes;
    struct slot *slots = mmap(NULL, sizeof(struct slot) * (size_t)children, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED) fail("mmap");
    int hold[2];
    if (pipe2(hold, O_CLOEXEC) < 0) fail("pipe");
    pid_t *pids = calloc((size_t)children, sizeof *pids);
    if (!pids) fail("calloc");
    fflush(stdout);
    pid_t parent = getpid();
    for (long c = 0; c < children; c++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("sockhold: fork");
            for (long k = 0; k < c; k++) kill(pids[k], SIGKILL);
            return 1;
        }
        if (pid == 0) {
            signal(SIGTERM, SIG_DFL); /* the parent's signal ends a child at once */
            signal(SIGINT, SIG_DFL);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(1); /* the parent died before the line above */
            close(hold[1]);
            if (c < acceptors) acceptor(&slots[c], listener, share, hold[0]);
            close(listener);
            client(&slots[c], (int)port, per_client, tw_pct, cw_pct, hold[0]);
        }
        pids[c] = pid;
    }
    close(listener); /* the acceptors hold it */
    close(hold[0]);

    /*
     * stdin: its EOF ends the hold when it is a pipe, a socket or a terminal. A regular file or
     * /dev/null reads EOF at once, so those are not watched: then SIGTERM or the limit ends it.
     */
    struct stat st;
    int watch_stdin = fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode))
                      && !(S_ISCHR(st.st_mode) && !isatty(STDIN_FILENO));
    struct pollfd in = {.fd = watch_stdin ? STDIN_FILENO : -1, .events = POLLIN};
    int ready = 0, stdin_closed = 0, timed_out = 0, lost_child = 0;
    long failed = 0;
    double ready_at = 0;
    while (!stop_signal && !stdin_closed) {
        if (seconds_now() >= deadline) {
            timed_out = 1;
            break;
        }
        int r = poll(&in, 1, 20);
        if (r > 0) {
            char buf[256];
            ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
            if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) stdin_closed = 1;
        }
        int status;
        pid_t gone = waitpid(-1, &status, WNOHANG);
        if (gone > 0) {
            fprintf(stderr, "sockhold: child %d ended early (status %d)\n", (int)gone, status);
            lost_child = 1;
            break;
        }
        if (ready) continue;
        long clients_done = 0, connected = 0, client_closed = 0, asked = 0;
        long accepted = 0, server_closed = 0, shut = 0;
        failed = 0;
        for (long c = 0; c < children; c++) {
            struct slot *s = &slots[c];
            failed += load(&s->failed);
            if (c < acceptors) {
                accepted += load(&s->connected);
                server_closed += load(&s->client_closed);
                shut += load(&s->server_asked);
            } else if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) {
                clients_done++;
                connected += load(&s->connected);
                client_closed += load(&s->client_closed);
                asked += load(&s->server_asked);
            }
        }
        if (clients_done == processes && accepted >= connected && server_closed >= client_closed && shut >= asked) {
            ready = 1;
            ready_at = seconds_now();
            printf("ready pid=%d processes=%ld acceptors=%ld connections=%ld established=%ld time_wait=%ld "
                   "close_wait=%ld failed=%ld setup_seconds=%.2f\n",
                   (int)getpid(), processes, acceptors, connected, connected - client_closed - asked,
                   client_closed, asked, failed, ready_at - start);
            fflush(stdout);
            for (long c = 0; failed && c < children; c++) {
                if (slots[c].failed)
                    fprintf(stderr, "sockhold: %s %ld: %ld failed, first: %s\n", c < acceptors ? "acceptor" : "client",
                            c < acceptors ? c : c - acceptors, slots[c].failed, strerror(slots[c].first_errno));
            }
        }
    }
    if (!ready) {
        fprintf(stderr, "sockhold: not ready: %s\n",
                timed_out ? "time limit" : lost_child ? "a child ended" : "stopped");
    }
    close(hold[1]); /* the children's hold returns: they exit */
    for (long c = 0; c < children; c++) kill(pids[c], SIGTERM);
    for (long c = 0; c < children; c++) waitpid(pids[c], NULL, 0);
    if (ready) printf("done held_seconds=%.1f%s\n", seconds_now() - ready_at, timed_out ? " (time limit)" : "");
    return ready && failed == 0 && !lost_child ? 0 : 1;
}
