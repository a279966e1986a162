import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The java.nio floor for connection churn: a CRR client (connect, 1-byte request, 1-byte
 * response, close; a fresh connection per transaction) on THREADS Selector loops with FLOWS
 * connections in flight, and nothing else: no per-phase timing, no recording, no accept
 * pairing, no monitor. Whatever `churn run --transport selector` costs beyond this program is
 * churn's; whatever this program costs beyond neper or tcpref is java.nio's (the JDK's).
 *
 * It takes the same steps per connection as churn's selector transport: SocketChannel.open,
 * configureBlocking(false), SO_LINGER 0 unless "timewait", connect then finishConnect right away
 * (on loopback the handshake is done by then), write the byte, wait for OP_READ, read, close.
 *
 *   java bench/floor/NioCrr.java HOST:PORT FLOWS THREADS SECONDS [WARMUP_SECONDS] [linger0|timewait]
 *
 * Prints one line of key=value pairs, as tcpref does:
 *   nio-crr flows=64 threads=2 transactions=N seconds=S per_second=R cpu_us_per_transaction=C
 * (CPU: this process's user + system time over the measured window, JVM threads included).
 * Exit codes: 0 done, 1 a socket call failed (the first failure is printed: a floor that failed
 * has measured nothing), 2 bad arguments. Bounded: it stops after WARMUP + SECONDS, or after
 * 100,000,000 transactions, whichever is first.
 */
public final class NioCrr {

    private static final long MAX_TRANSACTIONS = 100_000_000L;

    private static volatile boolean stop;
    private static volatile String failure;

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        AtomicLong[] counts = new AtomicLong[a.threads];
        Thread[] loops = new Thread[a.threads];
        for (int t = 0; t < a.threads; t++) {
            int share = a.flows / a.threads + (t < a.flows % a.threads ? 1 : 0);
            counts[t] = new AtomicLong();
            AtomicLong count = counts[t];
            loops[t] = new Thread(() -> loop(a, share, count), "nio-crr-" + t);
            loops[t].start();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(a.warmupMillis);
        long n0 = sum(counts), t0 = System.nanoTime(), cpu0 = os.getProcessCpuTime();
        long end = t0 + a.seconds * 1_000_000_000L;
        while (System.nanoTime() < end && failure == null && sum(counts) < MAX_TRANSACTIONS) {
            Thread.sleep(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
        }
        long n1 = sum(counts), t1 = System.nanoTime(), cpu1 = os.getProcessCpuTime();
        stop = true;
        for (Thread l : loops) {
            l.join();
        }
        if (failure != null) {
            System.err.println("nio-crr: " + failure);
            System.exit(1);
        }
        long n = n1 - n0;
        double secs = (t1 - t0) / 1e9;
        System.out.printf("nio-crr flows=%d threads=%d transactions=%d seconds=%.3f per_second=%.0f cpu_us_per_transaction=%.1f%n",
                a.flows, a.threads, n, secs, n / secs, n == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / n);
    }

    private static long sum(AtomicLong[] counts) {
        long s = 0;
        for (AtomicLong c : counts) {
            s += c.get();
        }
        return s;
    }

    /** One selector loop with its share of the flows: each connection, once read, is closed and replaced. */
    private static void loop(Args a, int flows, AtomicLong count) {
        ByteBuffer request = ByteBuffer.allocateDirect(1).put((byte) 'q').flip();
        ByteBuffer response = ByteBuffer.allocateDirect(1);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < flows; i++) {
                start(a, selector, request);
            }
            while (!stop) {
                selector.select(key -> {
                    SocketChannel ch = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            if (ch.finishConnect()) {
                                send(ch, key, request);
                            }
                            return;
                        }
                        response.clear();
                        int got = ch.read(response);
                        if (got < 0) {
                            throw new IOException("the server closed before answering");
                        }
                        if (got == 0) {
                            return;
                        }
                        ch.close();
                        count.incrementAndGet();
                        start(a, selector, request);
                    } catch (IOException e) {
                        fail(e);
                    }
                }, 100);
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private static void start(Args a, Selector selector, ByteBuffer request) {
        if (stop) {
            return;
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET);
            ch.configureBlocking(false);
            if (a.linger0) {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            if (ch.connect(a.target) || ch.finishConnect()) {
                send(ch, ch.register(selector, 0), request);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Writes the 1-byte request (a socket buffer always takes it whole) and waits for the answer. */
    private static void send(SocketChannel ch, SelectionKey key, ByteBuffer request) throws IOException {
        if (ch.write(request.duplicate()) != 1) {
            throw new IOException("the 1-byte request was not taken whole");
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private static void fail(IOException e) {
        if (failure == null) {
            failure = e.toString();
        }
        stop = true;
    }

    private record Args(InetSocketAddress target, int flows, int threads, int seconds, long warmupMillis, boolean linger0) {
        static Args parse(String[] args) {
            String usage = "usage: java NioCrr.java HOST:PORT FLOWS THREADS SECONDS [WARMUP_SECONDS] [linger0|timewait]";
            if (args.length < 4 || args.length > 6) {
                bad(usage);
            }
            int colon = args[0].lastIndexOf(':');
            if (colon < 1) {
                bad("HOST:PORT must be like 127.0.0.1:9000, not '" + args[0] + "'; " + usage);
            }
            int port = number(args[0].substring(colon + 1), "PORT", 1, 65535);
            int flows = number(args[1], "FLOWS", 1, 100_000);
            int threads = number(args[2], "THREADS", 1, 1024);
            if (threads > flows) {
                bad("THREADS (" + threads + ") must not be more than FLOWS (" + flows + ")");
            }
            int seconds = number(args[3], "SECONDS", 1, 3600);
            int warmup = args.length > 4 ? number(args[4], "WARMUP_SECONDS", 0, 3600) : 1;
            String close = args.length > 5 ? args[5] : "linger0";
            if (!close.equals("linger0") && !close.equals("timewait")) {
                bad("the last argument is linger0 or timewait, not '" + close + "'");
            }
            return new Args(new InetSocketAddress(args[0].substring(0, colon), port), flows, threads, seconds,
                    warmup * 1000L, close.equals("linger0"));
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
            System.err.println("nio-crr: " + line);
            System.exit(2);
        }
    }
}
