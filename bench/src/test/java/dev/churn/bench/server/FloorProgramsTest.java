package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK floors (bench/floor/*.java, what bench/scripts/run-vs-floor.sh measures churn against),
 * compiled once here (the scripts launch them from source: the bad-arguments test does too), against
 * the built-in sink on real loopback sockets: they must make real transactions and count them as the
 * sink does, or their figures mean nothing. TlsCrr has its own test in the cli module.
 */
class FloorProgramsTest {

    private static final Path FLOOR = Path.of("floor"); // the bench module's directory is the working directory
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private record Result(int exit, String out, String err) {
        Map<String, String> values() {
            Map<String, String> v = new HashMap<>();
            for (String kv : out.strip().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    v.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return v;
        }
    }

    /** The floors compiled once: a launch from source compiles first, about 2 s a launch on this VM. */
    @TempDir
    static Path classes;

    @BeforeAll
    static void compileTheFloors() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", classes.toString()));
        for (String program : List.of("HttpCrr.java", "NioCrr.java", "SocketCrr.java")) {
            cmd.add(FLOOR.resolve(program).toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "javac of the floors: " + said);
    }

    /** A floor, compiled above: the same code the script launches from source (see {@link #runFromSource}). */
    private static Result run(String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", classes.toString(), program.replace(".java", "")));
        cmd.addAll(List.of(args));
        return launch(program, cmd);
    }

    /** A floor launched from its source file, as bench/scripts launch it. */
    private static Result runFromSource(String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, FLOOR.resolve(program).toString()));
        cmd.addAll(List.of(args));
        return launch(program, cmd);
    }

    private static Result launch(String program, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("floor", ".out");
        Path err = Files.createTempFile("floor", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), program + " did not end within 60 s");
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A measured run: exit 0, one line, transactions the sink saw, and a rate that is their count over the window. */
    private static void assertMeasured(Result r, SinkServer sink, String name) {
        assertEquals(0, r.exit(), name + " failed: " + r.err());
        assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
        Map<String, String> v = r.values();
        long n = Long.parseLong(v.get("transactions"));
        double seconds = Double.parseDouble(v.get("seconds"));
        double rate = Double.parseDouble(v.get("per_second"));
        double cpu = Double.parseDouble(v.get("cpu_us_per_transaction"));
        assertTrue(n > 100, name + " made " + n + " transactions in " + seconds + " s");
        assertTrue(seconds >= 1.0 && seconds < 1.5, "the measured window is the 1 s asked for: " + seconds);
        assertEquals(n / seconds, rate, Math.max(1, rate * 0.001), "per_second is transactions over the window");
        assertTrue(cpu > 0 && cpu < 100_000, "CPU per transaction in µs: " + cpu);
        // Every transaction the floor counts was accepted and answered by the sink (and the sink
        // also saw the warm-up's and the ones in flight at the end, none here beyond the flows).
        assertTrue(sink.accepted() >= n, "the sink accepted " + sink.accepted() + ", the floor counted " + n);
    }

    /** Sleeps, and says to go on: a loop's condition ({@code while (... && pause(10))}). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static SinkServer crrSink() throws IOException {
        return SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(2), Closer.CLIENT, 1, 1));
    }

    @Test
    void theNioFloorMakesRealTransactionsOnItsSelectorLoops() throws Exception {
        try (SinkServer sink = crrSink()) {
            Result r = run("NioCrr.java", "127.0.0.1:" + sink.port(), "8", "2", "1", "0");
            assertMeasured(r, sink, "NioCrr");
            assertEquals("8", r.values().get("flows"));
            assertEquals("2", r.values().get("threads"));
        }
    }

    @Test
    void theSocketFloorRunsOnVirtualAndOnPlatformThreads() throws Exception {
        try (SinkServer sink = crrSink()) {
            Result v = run("SocketCrr.java", "127.0.0.1:" + sink.port(), "8", "virtual", "1", "0", "linger0", "timed");
            assertMeasured(v, sink, "SocketCrr virtual");
            assertEquals("virtual", v.values().get("threads"));
            assertEquals("true", v.values().get("timed"));
        }
        try (SinkServer sink = crrSink()) {
            Result p = run("SocketCrr.java", "127.0.0.1:" + sink.port(), "1", "platform", "1", "0", "timewait", "untimed");
            assertMeasured(p, sink, "SocketCrr platform");
            assertEquals("platform", p.values().get("threads"));
            assertEquals("false", p.values().get("timed"));
        }
    }

    @Test
    void theHttpFloorReadsWholeResponsesAndCountsOnlyTheMeasuredOnes() throws Exception {
        SinkConfig http = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 612).withHttp(true);
        try (SinkServer sink = SinkServer.start(http)) {
            Result r = run("HttpCrr.java", "127.0.0.1:" + sink.port(), "1", "0");
            assertMeasured(r, sink, "HttpCrr");
            // The sink's head and its 612-byte body: read whole, or the floor would have failed.
            assertTrue(Long.parseLong(r.values().get("bytes_per_response")) > 612, r.out());
        }
        try (SinkServer sink = SinkServer.start(http)) {
            Result r = run("HttpCrr.java", "127.0.0.1:" + sink.port(), "30", "1", "/index.html", "500");
            assertEquals(0, r.exit(), r.err());
            assertEquals("500", r.values().get("transactions"), r.out());
            assertTrue(sink.accepted() > 1000, "the warm-up made requests too: " + sink.accepted());
        }
        // Not HTTP: a server that answers a byte and waits is a failure after the stall time (5 s; 1 s here), one line,
        // exit 1.
        try (SinkServer bytes = crrSink()) {
            Result r = launch("HttpCrr.java", List.of(JAVA, "-Dhttp-crr.stall-seconds=1", "-cp", classes.toString(), "HttpCrr",
                    "127.0.0.1:" + bytes.port(), "1", "0"));
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.err().startsWith("http-crr: no request finished within 1 s"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        Result bad = run("HttpCrr.java", "127.0.0.1:1", "1", "0", "index.html");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("PATH starts with '/'"), bad.err());
    }

    @Test
    void theSocketFloorsChurnShapeConnectsAndClosesWithNoRequest() throws Exception {
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0))) {
            Result r = run("SocketCrr.java", "127.0.0.1:" + sink.port(), "1", "platform", "1", "0", "timewait", "untimed",
                    "100000000", "churn");
            assertMeasured(r, sink, "SocketCrr churn");
            assertTrue(r.out().startsWith("socket-churn "), r.out());
        }
        // Not a byte on the wire: a plain server sees each connection's EOF first.
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            AtomicLong empty = new AtomicLong();
            AtomicLong withBytes = new AtomicLong();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (IOException closed) {
                        return;
                    }
                    try (s) {
                        (s.getInputStream().read() < 0 ? empty : withBytes).incrementAndGet();
                    } catch (IOException reset) {
                        // the first connections may be the warm-up's, closed with SO_LINGER 0: no byte either
                        empty.incrementAndGet();
                    }
                }
            });
            Result r = run("SocketCrr.java", "127.0.0.1:" + server.getLocalPort(), "1", "platform", "5", "0", "timewait",
                    "untimed", "300", "churn");
            assertEquals(0, r.exit(), r.err());
            assertEquals("300", r.values().get("transactions"), r.out());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (empty.get() + withBytes.get() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, withBytes.get(), "no connection carried a byte");
            assertTrue(empty.get() >= 300, "the server saw every connection end: " + empty.get());
            server.close();
            acceptor.join(5000);
        }
        Result bad = run("SocketCrr.java", "127.0.0.1:1", "1", "platform", "1", "0", "timewait", "untimed", "10", "stream");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("the shape is crr or churn, not 'stream'"), bad.err());
    }

    @Test
    void aCountEndsTheMeasuredWindowAndTheWarmupLeavesNoTimeWait() throws Exception {
        try (SinkServer sink = crrSink()) {
            KernelCounters before = KernelCounters.read(StateSources.DEFAULT_PROC_ROOT);
            // 1 s of warm-up makes thousands of connections; then 700 measured ones, closed normally.
            Result r = run("SocketCrr.java", "127.0.0.1:" + sink.port(), "1", "platform", "30", "1", "timewait", "untimed", "700");
            assertEquals(0, r.exit(), r.err());
            assertEquals("700", r.values().get("transactions"), r.out());
            double seconds = Double.parseDouble(r.values().get("seconds"));
            assertTrue(seconds > 0 && seconds < 29, "the count ended it, not SECONDS: " + r.out());
            // seconds are printed to the millisecond: the rate agrees to that precision
            assertEquals(700 / seconds, Double.parseDouble(r.values().get("per_second")), 700 / seconds * 0.0005 / seconds + 1, r.out());
            assertTrue(sink.accepted() > 1400, "the warm-up made connections too: " + sink.accepted());
            if (!TcpEnds.timeWaitOverflowSince(before)) {
                // Only the measured connections leave TIME_WAIT: the warm-up closed with SO_LINGER 0. Read again (5 times
                // at most) while it is not 700: a read of /proc/net/tcp resumes in hash buckets that other connections
                // insert into, and may show a socket twice (CloserStatesTest); a wrong count stays wrong.
                List<Long> readings = new ArrayList<>();
                try (StateSource s = StateSources.open(SourceKind.PROC)) {
                    do {
                        readings.add(s.count(SocketFilter.ports(sink.port())).get(TcpState.TIME_WAIT));
                    } while (readings.getLast() != 700 && readings.size() < 5 && pause(10));
                }
                assertEquals(700, readings.getLast(), "TIME_WAIT on the sink's port, read " + readings);
            }
        }
    }

    @Test
    void aRefusedConnectionIsOneLineAndExitOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free again once closed: nothing listens there
        }
        Result r = run("SocketCrr.java", "127.0.0.1:" + closed, "1", "platform", "1", "0");
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("socket-crr: java.net.ConnectException"), r.err());
        assertTrue(r.out().isBlank(), "no figure from a floor that failed: " + r.out());
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        // From source, as the scripts launch them: each file compiles alone and starts.
        for (Result r : List.of(runFromSource("NioCrr.java", "127.0.0.1:1", "2", "4", "1"),
                runFromSource("SocketCrr.java", "localhost", "1", "virtual", "1"),
                runFromSource("HttpCrr.java", "127.0.0.1:1", "1", "0", "index.html"),
                run("SocketCrr.java", "127.0.0.1:1", "1", "carrier", "1"))) {
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
        }
    }
}
