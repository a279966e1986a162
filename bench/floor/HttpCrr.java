import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The java.net.Socket floor for an HTTP request per connection: one platform thread, one
 * connection at a time (ab -c 1's shape), and nothing else: no per-phase timing, no recording, no
 * monitor. Per connection, the steps `churn run --transport blocking --http PATH` takes: new
 * Socket(Proxy.NO_PROXY), connect (no timeout: blocking's watchdog times it from outside), write
 * churn's request in one write (GET PATH HTTP/1.1, Host, User-Agent, Accept, Connection: close),
 * read the status line and headers, then the body by Content-Length (to the end of the stream
 * without one), close. A status outside 200-299 is a failure. The warm-up closes with SO_LINGER 0,
 * as churn's --warmup does, so it leaves no TIME_WAIT behind.
 *
 *   java bench/floor/HttpCrr.java HOST:PORT SECONDS [WARMUP_SECONDS] [PATH] [COUNT]
 *
 * COUNT ends the measured window after that many requests (or SECONDS, whichever is first), so the
 * floor makes as many as `ab -n COUNT` and the churn run beside it.
 *
 * Prints one line of key=value pairs, as tcpref does:
 *   http-crr transactions=N seconds=S per_second=R cpu_us_per_transaction=C bytes_per_response=B
 * (CPU: this process's user + system time over the measured window, JVM threads included).
 * Exit codes: 0 done, 1 a request failed or none finished for 5 s (the first failure is printed: a
 * floor that failed has measured nothing), 2 bad arguments. Bounded: it stops after WARMUP + SECONDS.
 * -Dhttp-crr.stall-seconds=N waits N seconds instead of 5 (its test waits 1).
 */
public final class HttpCrr {

    private static final long STALL_SECONDS = Long.getLong("http-crr.stall-seconds", 5);
    private static final long STALL_NANOS = STALL_SECONDS * 1_000_000_000L;
    private static volatile long lastDone = System.nanoTime();

    public static void main(String[] args) throws Exception {
        String usage = "usage: java HttpCrr.java HOST:PORT SECONDS [WARMUP_SECONDS] [PATH] [COUNT]";
        if (args.length < 2 || args.length > 5) {
            bad(usage);
        }
        int colon = args[0].lastIndexOf(':');
        if (colon < 1) {
            bad("HOST:PORT must be like 127.0.0.1:8080, not '" + args[0] + "'; " + usage);
        }
        String host = args[0].substring(0, colon);
        int port = (int) number(args[0].substring(colon + 1), "PORT", 1, 65535);
        InetSocketAddress target = new InetSocketAddress(host, port);
        long seconds = number(args[1], "SECONDS", 1, 3600);
        long warmup = args.length > 2 ? number(args[2], "WARMUP_SECONDS", 0, 3600) : 1;
        String path = args.length > 3 ? args[3] : "/";
        if (!path.startsWith("/")) {
            bad("PATH starts with '/', not '" + path + "'");
        }
        long count = args.length > 4 ? number(args[4], "COUNT", 1, Long.MAX_VALUE) : Long.MAX_VALUE;
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: churn\r\n"
                + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[16384];

        // The requests are untimed, as blocking's are (its watchdog times them from outside): so is
        // this one, a thread that ends the program when no request has finished for 5 s.
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                if (System.nanoTime() - lastDone > STALL_NANOS) {
                    System.err.println("http-crr: no request finished within " + STALL_SECONDS + " s (does the server speak HTTP?)");
                    System.exit(1);
                }
            }
        });
        try {
            long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
            while (System.nanoTime() < warmEnd) {
                transaction(target, request, buffer, true);
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long t0 = System.nanoTime(), cpu0 = os.getProcessCpuTime();
            long end = t0 + seconds * 1_000_000_000L;
            long n = 0, bytes = 0;
            while (n < count && System.nanoTime() < end) {
                bytes = transaction(target, request, buffer, false);
                n++;
            }
            long t1 = System.nanoTime(), cpu1 = os.getProcessCpuTime();
            double secs = (t1 - t0) / 1e9;
            System.out.printf(Locale.ROOT, "http-crr transactions=%d seconds=%.3f per_second=%.0f cpu_us_per_transaction=%.1f bytes_per_response=%d%n",
                    n, secs, n / secs, n == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / n, bytes);
        } catch (IOException e) {
            System.err.println("http-crr: " + e);
            System.exit(1);
        }
    }

    /** One connection, one GET, the whole response read; returns the response's size in bytes. */
    private static long transaction(InetSocketAddress target, byte[] request, byte[] buffer, boolean abortive) throws IOException {
        try (Socket s = new Socket(Proxy.NO_PROXY)) {
            if (abortive) {
                s.setSoLinger(true, 0);
            }
            s.connect(target);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            int have = 0;
            int headEnd = -1;
            while (headEnd < 0) {
                if (have == buffer.length) {
                    throw new IOException("the response head is longer than " + buffer.length + " bytes");
                }
                int r = in.read(buffer, have, buffer.length - have);
                if (r < 0) {
                    throw new IOException("the server closed before the end of the response head");
                }
                headEnd = headEnd(buffer, Math.max(0, have - 3), have + r);
                have += r;
            }
            // From the bytes, as churn's parser reads them: no String unless the response fails.
            if (headEnd < 12 || buffer[0] != 'H' || buffer[5] != '1' || buffer[9] != '2') {
                String first = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                throw new IOException("not a 2xx response: " + first);
            }
            long length = contentLength(buffer, headEnd);
            long body = have - headEnd;
            while (length < 0 || body < length) {
                int r = in.read(buffer, 0, buffer.length);
                if (r < 0) {
                    if (length < 0) {
                        break; // no Content-Length: the body ends with the stream
                    }
                    throw new IOException("the server closed after " + body + " of " + length + " body bytes");
                }
                body += r;
            }
            lastDone = System.nanoTime();
            return headEnd + body;
        }
    }

    /** Where the head ends (just past CRLF CRLF) if it ends between from and to, else -1. */
    private static int headEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

    /** The Content-Length header's value, or -1 without one. */
    private static long contentLength(byte[] b, int headEnd) {
        outer:
        for (int i = 0; i + CONTENT_LENGTH.length < headEnd; i++) {
            for (int k = 0; k < CONTENT_LENGTH.length; k++) {
                if (Character.toLowerCase(b[i + k]) != CONTENT_LENGTH[k]) {
                    continue outer;
                }
            }
            long v = 0;
            for (int j = i + CONTENT_LENGTH.length; j < headEnd && b[j] != '\r'; j++) {
                if (b[j] >= '0' && b[j] <= '9') {
                    v = v * 10 + (b[j] - '0');
                }
            }
            return v;
        }
        return -1;
    }

    private static long number(String s, String what, long min, long max) {
        try {
            long v = Long.parseLong(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        bad(what + " must be a whole number from " + min + " to " + max + ", not '" + s + "'");
        return 0;
    }

    private static void bad(String message) {
        System.err.println("http-crr: " + message);
        System.exit(2);
    }
}
