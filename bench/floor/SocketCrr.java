import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The java.net.Socket floor for connection churn: a CRR client (connect, 1-byte request, 1-byte
 * response, close; a fresh connection per transaction) on FLOWS threads, virtual or platform, each
 * looping over its own connections, and nothing else: no per-phase timing, no recording, no accept
 * pairing, no monitor. Whatever `churn run --transport virtual` (or `blocking`) costs beyond this
 * program is churn's; whatever this program costs beyond neper or tcpref is the JDK's.
 *
 * Per connection: new Socket(Proxy.NO_PROXY), SO_LINGER 0 unless "timewait", connect, write the
 * byte, read the byte, close; as churn's socket cycle does. "timed" connects with a 5 s timeout
 * and reads with SO_TIMEOUT 5 s, as churn's virtual transport does; "untimed" uses neither. The
 * warm-up closes with SO_LINGER 0 whatever the close, as churn's --warmup does, so it leaves no
 * TIME_WAIT to fill the port range before the measured connections.
 *
 *   java bench/floor/SocketCrr.java HOST:PORT FLOWS virtual|platform SECONDS [WARMUP_SECONDS] [linger0|timewait] [timed|untimed] [COUNT] [crr|churn]
 *
 * "churn" (the last argument) leaves out the request and the response: connect, then close, as
 * churn's plain connection churn does (no --request); the default is "crr".
 *
 * COUNT ends the measured window after that many transactions (or SECONDS, whichever is first), so
 * the floor makes as many connections as the churn run and the C client it is set beside: with
 * TIME_WAIT kept, how far the port range fills is part of what a connection costs.
 *
 * Prints one line of key=value pairs, as tcpref does:
 *   socket-crr threads=virtual flows=64 timed=true transactions=N seconds=S per_second=R cpu_us_per_transaction=C
 * (socket-churn ... with the "churn" shape)
 * (CPU: this process's user + system time over the measured window, JVM threads included).
 * Exit codes: 0 done, 1 a socket call failed (the first failure is printed: a floor that failed
 * has measured nothing), 2 bad arguments. Bounded: it stops after WARMUP + SECONDS, or after
 * 100,000,000 transactions, whichever is first.
 */
public final class SocketCrr {

    private static final long MAX_TRANSACTIONS = 100_000_000L;
    private static final int TIMEOUT_MILLIS = 5000;

    private static volatile boolean stop;
    private static volatile String failure;
    // Set once the warm-up is over: measured connections close as the arguments say, and count.
    private static volatile boolean measuring;
    private static final AtomicLong MEASURED = new AtomicLong();
    private static volatile long countReachedNanos;

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        AtomicLong[] counts = new AtomicLong[a.flows];
        Thread[] flows = new Thread[a.flows];
        Thread.Builder builder = a.virtual ? Thread.ofVirtual().name("socket-crr-", 0) : Thread.ofPlatform().name("socket-crr-", 0);
        for (int f = 0; f < a.flows; f++) {
            counts[f] = new AtomicLong();
            AtomicLong count = counts[f];
            flows[f] = builder.start(() -> flow(a, count));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(a.warmupMillis);
        long t0 = System.nanoTime(), cpu0 = os.getProcessCpuTime();
        measuring = true;
        long end = t0 + a.seconds * 1_000_000_000L;
        while (System.nanoTime() < end && failure == null && !stop && sum(counts) < MAX_TRANSACTIONS) {
            Thread.sleep(Math.max(1, Math.min(a.count < Long.MAX_VALUE ? 1 : 50, (end - System.nanoTime()) / 1_000_000)));
        }
        long n = MEASURED.get();
        long t1 = countReachedNanos != 0 ? countReachedNanos : System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        stop = true;
        for (Thread f : flows) {
            f.join();
        }
        if (failure != null) {
            System.err.println("socket-crr: " + failure);
            System.exit(1);
        }
        double secs = (t1 - t0) / 1e9;
        System.out.printf("socket-%s threads=%s flows=%d timed=%b transactions=%d seconds=%.3f per_second=%.0f cpu_us_per_transaction=%.1f%n",
                a.crr ? "crr" : "churn", a.virtual ? "virtual" : "platform", a.flows, a.timed, n, secs, n / secs,
                n == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / n);
    }

    private static long sum(AtomicLong[] counts) {
        long s = 0;
        for (AtomicLong c : counts) {
            s += c.get();
        }
        return s;
    }

    /** One flow: a connection at a time, each closed once its answer is read. */
    private static void flow(Args a, AtomicLong count) {
        byte[] buffer = new byte[1];
        while (!stop) {
            boolean measured = measuring;
            try (Socket s = new Socket(Proxy.NO_PROXY)) {
                if (a.linger0 || !measured) {
                    s.setSoLinger(true, 0);
                }
                if (a.timed) {
                    s.setSoTimeout(TIMEOUT_MILLIS);
                    s.connect(a.target, TIMEOUT_MILLIS);
                } else {
                    s.connect(a.target);
                }
                if (a.crr) {
                    OutputStream out = s.getOutputStream();
                    out.write('q');
                    InputStream in = s.getInputStream();
                    if (in.read(buffer, 0, 1) != 1) {
                        throw new IOException("the server closed before answering");
                    }
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e.toString();
                }
                stop = true;
                return;
            }
            count.incrementAndGet();
            if (measured) {
                long done = MEASURED.incrementAndGet();
                if (done == a.count) {
                    countReachedNanos = System.nanoTime();
                    stop = true;
                } else if (done > a.count) {
                    MEASURED.decrementAndGet(); // another flow's last one: past the count, not measured
                }
            }
        }
    }

    private record Args(InetSocketAddress target, int flows, boolean virtual, int seconds, long warmupMillis,
                        boolean linger0, boolean timed, long count, boolean crr) {
        static Args parse(String[] args) {
            String usage = "usage: java SocketCrr.java HOST:PORT FLOWS virtual|platform SECONDS [WARMUP_SECONDS] [linger0|timewait] [timed|untimed] [COUNT] [crr|churn]";
            if (args.length < 4 || args.length > 9) {
                bad(usage);
            }
            int colon = args[0].lastIndexOf(':');
            if (colon < 1) {
                bad("HOST:PORT must be like 127.0.0.1:9000, not '" + args[0] + "'; " + usage);
            }
            int port = number(args[0].substring(colon + 1), "PORT", 1, 65535);
            int flows = number(args[1], "FLOWS", 1, 100_000);
            if (!args[2].equals("virtual") && !args[2].equals("platform")) {
                bad("the threads are virtual or platform, not '" + args[2] + "'");
            }
            int seconds = number(args[3], "SECONDS", 1, 3600);
            int warmup = args.length > 4 ? number(args[4], "WARMUP_SECONDS", 0, 3600) : 1;
            String close = args.length > 5 ? args[5] : "linger0";
            if (!close.equals("linger0") && !close.equals("timewait")) {
                bad("the close is linger0 or timewait, not '" + close + "'");
            }
            String timing = args.length > 6 ? args[6] : "timed";
            if (!timing.equals("timed") && !timing.equals("untimed")) {
                bad("the last argument is timed or untimed, not '" + timing + "'");
            }
            long count = args.length > 7 ? number(args[7], "COUNT", 1, 100_000_000) : Long.MAX_VALUE;
            String shape = args.length > 8 ? args[8] : "crr";
            if (!shape.equals("crr") && !shape.equals("churn")) {
                bad("the shape is crr or churn, not '" + shape + "'");
            }
            return new Args(new InetSocketAddress(args[0].substring(0, colon), port), flows, args[2].equals("virtual"),
                    seconds, warmup * 1000L, close.equals("linger0"), timing.equals("timed"), count, shape.equals("crr"));
        }

        private static int number(String s, String name, int min, int max) {
            try {
                int v = Integer.parseInt(s);
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            bad(name + " must be a whole number from " + min + " to " + max + ", not '" + s + "'");
            return 0;
        }

        private static void bad(String line) {
            System.err.println("socket-crr: " + line);
            System.exit(2);
        }
    }
}
