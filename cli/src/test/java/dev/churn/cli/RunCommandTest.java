package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.result.LatencyLog;
import dev.churn.bench.result.SummaryJson;
import dev.churn.monitor.CompilerCpu;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code churn run} end to end: real loopback connections, the real kernel, files in a temp folder. */
class RunCommandTest {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path tmp;

    /** One command line with captured standard output and error. */
    static final class Cli {
        final CommandLine cl = Main.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        Cli() {
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
        }

        int run(String... args) {
            return cl.execute(args);
        }

        RunCommand runCommand() {
            return cl.getSubcommands().get("run").getCommand();
        }
    }

    /** A loopback port nothing listens on: bound for a moment by the kernel's choice, then closed, so connects are refused. */
    static int closedLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * An accept() that returns before its client's connect() does is recorded as a wait of 0; the
     * summary counts those zeros, so a p50 of 0 can be told from a queue measured empty. The count
     * must be the histogram's own zeros: read back from latency.hlog, every interval of it.
     */
    @Test
    void theAcceptWaitsRecordedAsZeroAreCountedAsTheHistogramHoldsThem() throws IOException {
        Path dir = tmp.resolve("zeros");
        Cli c = new Cli();
        // HTTP: the sink serves each connection where it accepts it, so its thread is often awake first.
        assertEquals(0, c.run("run", "--http", "/", "--connections", "500", "--warmup", "0s", "--out", dir.toString(),
                "--no-progress"), c.err::toString);
        long[] zeros = {0};
        long[] accepts = {0};
        LatencyLog.read(dir.resolve("latency.hlog"), (phase, from, to, h) -> {
            if (phase.equals("accept")) {
                zeros[0] += h.getCountAtValue(0);
                accepts[0] += h.getTotalCount();
            }
        });
        JsonNode s = SummaryJson.read(dir);
        assertEquals(s.at("/phases/accept/count").asLong(), accepts[0]);
        assertEquals(zeros[0], s.at("/acceptPairing/acceptedBeforeConnectReturned").asLong(-1), s::toString);
        boolean said = c.out.toString().contains("(accept wait is 0 for ");
        assertEquals(zeros[0] * 10 >= accepts[0] && zeros[0] > 0, said, c.out::toString);
    }

    @Test
    void runPrintsTheTableAndWritesEveryFile() throws IOException {
        Path dir = tmp.resolve("run");
        Cli c = new Cli();
        int code = c.run("run", "--connections", "2000", "--out", dir.toString(), "--no-progress", "--label", "t2000");

        assertEquals(0, code, c.err::toString);
        String table = c.out.toString();
        assertTrue(table.contains("completed 2,000"), table);
        assertTrue(table.contains("phase (µs)") && table.contains("cycle"), table);
        assertTrue(table.contains("TIME_WAIT   peak"), table);
        assertTrue(table.contains(dir.toString()), table);

        JsonNode s = SummaryJson.read(dir);
        assertEquals(2000, s.at("/connections/completed").asLong());
        assertEquals("COUNT_REACHED", s.get("endReason").asText());
        assertEquals("t2000", s.get("label").asText());
        assertEquals("blocking", s.at("/scenario/transport").asText());
        assertTrue(s.at("/phases/cycle/p50").asDouble() > 0, "cycle latency in µs is positive");
        // The client closes first, so its ports hold TIME_WAIT after the run: the sampler saw them. Unless
        // the namespace's table was full (others' TIME_WAIT: 131,072 of 131,072 beside .ci/crowded's
        // fillers), where the kernel destroys new ones at once and counts them: the table warns of it.
        if (s.at("/kernel/TCPTimeWaitOverflow").asLong() == 0) {
            assertTrue(s.at("/states/peak/TIME_WAIT").asLong() > 0, s.get("states")::toString);
        } else {
            assertTrue(table.contains("warning     the kernel's TIME_WAIT table was full (net.ipv4.tcp_max_tw_buckets "), table);
        }
        assertTrue(s.at("/kernel/ActiveOpens").asLong() >= 2000, s.get("kernel")::toString);
        assertTrue(Files.size(dir.resolve("cycle.hgrm")) > 0);
        assertTrue(Files.readString(dir.resolve("latency.hlog")).contains("Tag=cycle"));
        assertTrue(Files.readAllLines(dir.resolve("states.csv")).size() >= 2);
        assertNoTemporaryFiles(dir);
        // Which build measured: the commit these classes were built from, HEAD of this checkout.
        JsonNode build = s.at("/environment/churn");
        assertTrue(build.path("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), build::toString);
        String head = gitHead();
        if (head != null) {
            assertTrue(head.startsWith(build.path("commit").asText()) && build.path("commit").asText().length() >= 7,
                    build + " against HEAD " + head);
            assertTrue(build.path("dirty").isBoolean(), build::toString);
        }
    }

    /** This checkout's HEAD, or null outside a git work tree (a source tarball). */
    private static String gitHead() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void anIntervalTheSamplerCannotKeepIsSaidInTheTableAndTheSummary() throws IOException {
        // 1 µs: no sample of the kernel's table costs under 20 µs of CPU, which is what the
        // sampler's budget (5% of one CPU) allows at that interval, so the ticks are put off.
        Path dir = tmp.resolve("stretched");
        Cli c = new Cli();
        int code = c.run("run", "--duration", "1s", "--warmup", "0s", "--interval", "1us", "--out", dir.toString(),
                "--no-progress");
        assertEquals(0, code, c.err::toString);
        JsonNode st = SummaryJson.read(dir).at("/states/stretched");
        assertTrue(st.isObject(), st::toString);
        assertEquals(1, st.get("requestedMicros").asLong());
        assertEquals("CPU_BUDGET", st.get("cause").asText());
        assertTrue(st.get("everyMicros").asLong() >= 20, st::toString);
        assertTrue(st.get("note").asText().contains("put the next one off by") && st.get("note").asText().contains("past the 1 µs"),
                st::toString);
        long putOff = st.get("samplesPutOff").asLong();
        long samples = SummaryJson.read(dir).at("/states/samples").asLong();
        assertTrue(putOff >= 1 && putOff < samples, st::toString);
        String table = c.out.toString().replaceAll("\\s+", " ");
        assertTrue(table.contains(String.format(Locale.ROOT, "not every 1 µs as --interval asked: %s of %,d put the next one "
                + "off to keep the sampler within 5%% of one CPU", TableText.counted(putOff, "sample"), samples)), c.out::toString);
        assertTrue(SummaryJson.read(dir).at("/states/medianIntervalMicros").asLong() >= 20, () -> st.toString());

        // An interval within the budget: nothing stretched, and the table says nothing of it. The
        // cost of a sample follows every socket in the namespace (the kernel walks its whole hash
        // table), and a CI machine's namespace once held 81,790 TIME_WAIT from earlier tests: a
        // 30 ms sample, over a 500 ms interval's budget. At 1 s the budget is 50 ms a sample; a
        // namespace fuller still must be stretched for that reason and say so.
        Path kept = tmp.resolve("kept");
        Cli k = new Cli();
        assertEquals(0, k.run("run", "--duration", "2s", "--warmup", "0s", "--interval", "1s", "--out",
                kept.toString(), "--no-progress"), k.err::toString);
        JsonNode keptStates = SummaryJson.read(kept).get("states");
        JsonNode keptStretch = keptStates.get("stretched");
        long median = keptStates.get("medianIntervalMicros").asLong();
        if (keptStretch.isNull()) {
            assertFalse(k.out.toString().contains("as --interval asked"), k.out::toString);
            // 2 s of load sampled every second: 5 samples, the first before the load and the last after its closes
            // settled, so a median of 4 intervals can be a short one: 776 ms on a loaded machine (2026-12-07)
            assertTrue(median >= 500_000 && median <= 1_200_000, keptStates::toString);
        } else {
            assertEquals("CPU_BUDGET", keptStretch.get("cause").asText(), keptStates::toString);
            assertTrue(keptStretch.get("sampleCostMicros").asLong() > 50_000, keptStates::toString);
            assertTrue(k.out.toString().contains("as --interval asked"), k.out::toString);
            assertTrue(median >= 500_000, keptStates::toString);
        }
    }

    @Test
    void jsonFormatPrintsOnlyTheSummary() throws IOException {
        Path dir = tmp.resolve("json");
        Cli c = new Cli();
        int code = c.run("run", "--connections", "300", "--concurrency", "2", "--format", "json", "--out", dir.toString(),
                "--no-progress");

        assertEquals(0, code, c.err::toString);
        JsonNode printed = STRICT.readTree(c.out.toString());
        assertEquals("churn.run/1", printed.get("schema").asText());
        assertEquals(300, printed.at("/connections/completed").asLong());
        assertEquals(2, printed.at("/scenario/load/concurrency").asInt());
        // The sampler's settings as asked, the defaults here: --source auto, --interval 100ms.
        assertEquals("auto", printed.at("/scenario/source").asText(), printed.get("scenario")::toString);
        assertEquals(100_000, printed.at("/scenario/intervalMicros").asLong(), printed.get("scenario")::toString);
        assertEquals(SummaryJson.read(dir), printed, "stdout carries exactly the saved summary");
    }

    /**
     * summary.json records the command line, so the run can be made again from its folder alone (QA, 2026-12-06: it
     * could not), and what the state sampler was asked for (--source, --interval), which states.source and
     * states.stretched only half said. Made again from its command into another folder, the run has the same scenario.
     */
    @Test
    void theSummaryRecordsItsCommandLineAndTheSamplersSettings() throws IOException {
        Path dir = tmp.resolve("first");
        List<String> args = List.of("run", "--connections", "30", "--warmup", "0s", "--no-progress", "--source", "proc",
                "--interval=50ms", "--out", dir.toString());
        Cli c = new Cli();
        assertEquals(0, c.run(args.toArray(String[]::new)), c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        List<String> command = new ArrayList<>();
        s.path("command").forEach(a -> command.add(a.asText()));
        assertEquals(args, command, s::toString);
        assertEquals("proc", s.at("/scenario/source").asText(), s.get("scenario")::toString);
        assertEquals(50_000, s.at("/scenario/intervalMicros").asLong(), s.get("scenario")::toString);
        assertEquals("proc", s.at("/states/source").asText(), "the source that ran");

        List<String> again = new ArrayList<>(command);
        again.set(again.indexOf("--out") + 1, tmp.resolve("again").toString());
        Cli c2 = new Cli();
        assertEquals(0, c2.run(again.toArray(String[]::new)), c2.err::toString);
        ObjectNode first = s.get("scenario").deepCopy();
        ObjectNode second = SummaryJson.read(tmp.resolve("again")).get("scenario").deepCopy();
        first.remove("target"); // the built-in sink's port, its own each run
        second.remove("target");
        assertEquals(first, second);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--linger banana",
        "--concurrency 0",
        "--concurrency -3",
        "--connections 0",
        "--rate 0",
        "--rate -5",
        "--transport carrier-pigeon",
        "--closer nobody",
        "--duration 5parsecs",
        "--duration 1ms",
        "--duration 99ms",
        "--duration 25h",
        "--request 16777217",
        "--listeners -1",
        "--target [::1]",
        "--target 127.0.0.1:70000",
        "--target nocolon",
        "--bind-ports 30000-20000",
        "--listeners 65",
        "--threads 0",
        "--transport selector --threads 5 --concurrency 2",
        "--transport selector --threads 2 --rate 100 --concurrency 1",
        "--threads 2 --transport blocking --concurrency 4",
        "--threads 2 --transport virtual --concurrency 4",
        "--label a/b",
        "--source sonar",
        "--format xml",
        "--closer abort --linger 5",
        "--warmup -1s",
        "--no-such-option",
        "--tls 1.1",
        "--tls-key dsa --tls",
        "--http",
        "--http foo",
        "--tls --target 127.0.0.1:9 --truststore /missing/file",
        "--tls --target 127.0.0.1:9 --insecure --truststore /missing/file",
        "--tls --transport epoll",
        "--http / --transport raw",
        "--tls-resume",
        "--tls --tls-resume",
        "--tls 1.3 --tls-resume --closer abort --request 10",
        "--insecure",
        "--tls --insecure",
        "--tls --cert x",
        "--tls --cert /missing/cert.pem --key /missing/key.pem",
        "--http / --request 10",
        "--http / --response 100 --target 127.0.0.1:9",
        "--tls --tls-groups nosuchgroup",
        "--tls --tls-ciphers NO_SUCH_SUITE"
    })
    void badInputIsOneLineAndExitTwo(String args) {
        Cli c = new Cli();
        List<String> argv = new ArrayList<>(List.of("run", "--out", tmp.resolve("never").toString()));
        argv.addAll(List.of(args.split(" ")));

        int code = c.run(argv.toArray(String[]::new));

        assertEquals(2, code, c.err::toString);
        List<String> lines = c.err.toString().lines().toList();
        assertEquals(1, lines.size(), c.err::toString);
        assertTrue(lines.getFirst().startsWith("churn run: "), lines.getFirst());
        assertFalse(lines.getFirst().contains("Exception"), lines.getFirst());
        assertEquals("", c.out.toString());
        assertFalse(Files.exists(tmp.resolve("never")), "no results folder for a run that never ran");
    }

    /** The line names the limit that was broken, as the option checks it (they once said 1 to 2147483647). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--listeners 65 | '65' must be a whole number from 1 to 64",
        "--request 16777217 | '16777217' must be a whole number of bytes from 0 to 16,777,216 (16 MiB)",
        "--response -1 | '-1' must be a whole number of bytes from 0 to 16,777,216",
        "--target [::1] | '[::1]' has no port: give HOST:PORT, e.g. [::1]:8080",
        "--target []:9 | '[]:9' has no host: give HOST:PORT",
        "--target 127.0.0.1:9 --join --start-timeout 48h | --start-timeout is at most 23h (a server waits a day",
        "--target 127.0.0.1:9 --join --clients 10001 | --clients is at most 10000 (a session's clients each hold",
        "--target [127.0.0.1]:9 | '[127.0.0.1]:9': brackets are for IPv6 addresses; give 127.0.0.1:9",
        "--target [localhost]:9 | '[localhost]:9': brackets are for IPv6 addresses; give localhost:9",
        "--target [::1:23100 | '[::1:23100': its brackets do not close; write [IPV6]:PORT",
        "--target ::1:9 | '::1:9': put an IPv6 address in brackets",
        "--duration 1ms | --duration must be at least 100ms, got 1ms",
        "--connect-timeout 500us | --connect-timeout must be at least 1ms, got 500us",
        "--closer abort --linger 5 | --closer abort closes with SO_LINGER 0; --linger 5",
        "--closer abort --linger off | --closer abort closes with SO_LINGER 0; --linger off contradicts it",
        "--closer half --linger 0 | --closer half reads the server's FIN before it closes",
        "--closer never --linger 0 | --linger 0 sends an RST instead, which leaves none",
    })
    void badInputNamesTheLimitItBroke(String args, String said) {
        Cli c = new Cli();
        List<String> argv = new ArrayList<>(List.of("run", "--out", tmp.resolve("never").toString()));
        argv.addAll(List.of(args.split(" ")));
        assertEquals(2, c.run(argv.toArray(String[]::new)), c.err::toString);
        assertTrue(c.err.toString().contains(said), c.err::toString);
    }

    /** A closed loop says how long after the measured part began its first cycle started; an open loop does not. */
    @Test
    void aClosedLoopsSpanStartsAtItsFirstCycleAndSaysWhen() throws IOException {
        Path closed = tmp.resolve("closed-span");
        assertEquals(0, new Cli().run("run", "--connections", "500", "--warmup", "0s", "--out", closed.toString(), "--no-progress"));
        JsonNode s = SummaryJson.read(closed);
        double after = s.get("firstCycleAfterMillis").asDouble(-1);
        // The measured part's threads start first: a cold run's took 14-25 ms here (2026-12-05), never nothing.
        assertTrue(after > 0 && after < 5_000, s::toString);
        // durationSeconds is to the microsecond: the rate is completed / durationSeconds to that (and perSecond's
        // own 3 decimals), even for this run of a fraction of a second.
        double seconds = s.get("durationSeconds").asDouble();
        assertEquals(s.at("/connections/completed").asDouble() / seconds, s.at("/connections/perSecond").asDouble(),
                s.at("/connections/perSecond").asDouble() * 1e-6 / seconds + 0.001);
        Path open = tmp.resolve("open-span");
        assertEquals(0, new Cli().run("run", "--rate", "2000", "--duration", "200ms", "--warmup", "0s", "--out", open.toString(),
                "--no-progress"));
        JsonNode openSummary = SummaryJson.read(open);
        assertFalse(openSummary.has("firstCycleAfterMillis"), "an open loop's span is its schedule's");
        // blocking claims its starts through the gate that measures how much of their lateness waited for a slot.
        double slotWait = openSummary.at("/schedule/slotWaitPercent").asDouble(-1);
        assertTrue(slotWait >= 0 && slotWait <= 100, openSummary::toString);
    }

    /**
     * A second run against the same --target port finds the first's TIME_WAIT there: its peak and final include them,
     * and it says how many were there before it began (they were counted as its own without a word).
     */
    @Test
    void timeWaitLeftByAnEarlierRunOnTheTargetPortIsSaid() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.getInputStream().transferTo(OutputStream.nullOutputStream()); // the client closes first
                            } catch (IOException gone) {
                                // reset: nothing to serve
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String target = "127.0.0.1:" + server.getLocalPort();
            Path first = tmp.resolve("first");
            assertEquals(0, new Cli().run("run", "--target", target, "--connections", "50", "--out", first.toString(),
                    "--no-progress"));
            JsonNode one = SummaryJson.read(first);
            // Not necessarily none: the port is an ephemeral one, and a connection elsewhere that used it as its own
            // source port may have left a TIME_WAIT on it (30 of them once, beside a neighbour's churn, 2026-12-05).
            long others = one.at("/states/before/TIME_WAIT").asLong();
            Path second = tmp.resolve("second");
            Cli c = new Cli();
            assertEquals(0, c.run("run", "--target", target, "--connections", "50", "--out", second.toString(), "--no-progress"));
            server.close();
            acceptor.join(5000);
            JsonNode two = SummaryJson.read(second);
            long left = one.at("/states/final/TIME_WAIT").asLong();
            if (CompareRunsTest.timeWaitOverflow(first) == 0 && left > others) {
                // 60 s apart at most: the first run's own are all still there; the others' may have expired since.
                long before = two.at("/states/before/TIME_WAIT").asLong();
                assertTrue(before >= left - others && before <= left, () -> others + " before the first run, " + left
                        + " after it: " + two.get("states"));
                assertTrue(c.out.toString().contains(String.format(Locale.ROOT, "(%,d were there before the run)", before)),
                        c.out::toString);
            }
        }
    }

    /**
     * The warm-up leaves no TIME_WAIT under TLS 1.2 and --closer server either. There the JDK's SSLSocket answers the
     * server's close_notify with its own and a FIN, by itself, so SO_LINGER 0 came too late: every warm-up connection
     * left the server a TIME_WAIT, counted as the run's (1,166 beside 200 measured, QA 2026-12-06).
     */
    @ParameterizedTest
    @ValueSource(strings = {"blocking", "virtual"})
    void overTls12TheWarmupOfAServerCloserLeavesNoTimeWait(String transport) throws IOException {
        Path dir = tmp.resolve("tls12-warmup-" + transport);
        Cli c = new Cli();
        assertEquals(0, c.run("run", "--tls", "1.2", "--closer", "server", "--transport", transport,
                "--connections", "200", "--warmup", "1s", "--out", dir.toString(), "--no-progress"), c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertTrue(s.at("/connections/completed").asLong() == 200, s::toString);
        // At most one per measured connection; the warm-up made hundreds more.
        assertTrue(s.at("/states/peak/TIME_WAIT").asLong() <= 200, () -> s.get("states").toString());
        assertTrue(s.at("/states/final/TIME_WAIT").asLong() <= 200, () -> s.get("states").toString());
    }

    /** An open loop's in-flight bound is never more than its connections, and the header, scenario and schedule agree. */
    @ParameterizedTest
    @ValueSource(strings = {"10", "default"})
    void anOpenLoopsBoundIsAtMostItsConnections(String concurrency) throws IOException {
        Path dir = tmp.resolve("bound-" + concurrency);
        List<String> argv = new ArrayList<>(List.of("run", "--rate", "10", "--connections", "5", "--warmup", "0s",
                "--out", dir.toString(), "--no-progress"));
        if (!concurrency.equals("default")) {
            argv.addAll(List.of("--concurrency", concurrency));
        }
        Cli c = new Cli();
        assertEquals(0, c.run(argv.toArray(String[]::new)), c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(5, s.at("/scenario/load/maxInFlight").asLong(), s::toString);
        assertEquals(5, s.at("/schedule/maxInFlight").asLong(), s::toString);
        assertTrue(c.out.toString().contains("(at most 5 in flight)"), c.out::toString);
        // Only a --concurrency given is warned about; the default's cut is no limit of this process's.
        assertEquals(!concurrency.equals("default"), c.err.toString().contains("5 run at once"), c.err::toString);
        assertFalse(c.err.toString().contains("limits leave room for"), c.err::toString);
    }

    @Test
    void anEmptyTruststoreIsSaidToBeEmpty() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.pem"));
        Cli c = new Cli();
        assertEquals(2, c.run("run", "--tls", "--target", "127.0.0.1:9", "--truststore", empty.toString(), "--out",
                tmp.resolve("never").toString()));
        assertEquals("churn run: --truststore " + empty + ": the file is empty (0 bytes)", c.err.toString().strip());
    }

    @Test
    void forceWithoutAnOutFolderIsRefused() {
        Cli c = new Cli();
        assertEquals(2, c.run("run", "--force", "--connections", "10"), c.err::toString);
        assertTrue(c.err.toString().startsWith("churn run: --force replaces the files in an --out folder"), c.err::toString);
    }

    /** The event loops (selector, epoll) and the sink's listeners are recorded in summary.json and named in the table. */
    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll"})
    void eventLoopThreadsAreRecordedAndShown(String transport) throws IOException {
        Path dir = tmp.resolve("loops-" + transport);
        Cli c = new Cli();
        int code = c.run("run", "--transport", transport, "--threads", "2", "--concurrency", "8", "--listeners", "3",
                "--connections", "400", "--warmup", "0s", "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        assertTrue(c.out.toString().lines().findFirst().orElse("").contains(": " + transport + " (2 threads), closer client"),
                c.out::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(2, s.at("/scenario/threads").asInt());
        assertEquals(3, s.at("/scenario/listeners").asInt());
        assertEquals(400, s.at("/connections/completed").asLong());
        assertEquals(400, s.at("/phases/accept/count").asLong());
    }

    @Test
    void anOldTlsVersionIsRefusedNamingTheOnesSpoken() {
        Cli c = new Cli();
        assertEquals(2, c.run("run", "--tls", "1.1"));
        assertTrue(c.err.toString().contains("TLS version '1.1' is not one churn speaks: 1.2 or 1.3"), c.err::toString);
    }

    @Test
    void lingerMessageNamesTheAllowedValues() {
        Cli c = new Cli();
        assertEquals(2, c.run("run", "--linger", "banana"));
        assertTrue(c.err.toString().contains("--linger") && c.err.toString()
                .contains("'banana' is not off, 0 (abortive close) or a number of seconds"), c.err::toString);
    }

    @Test
    void tooManyFailuresExitsOneAndReportsThem() throws IOException {
        int closedPort = closedLoopbackPort();
        Path dir = tmp.resolve("refused");
        Cli c = new Cli();
        int code = c.run("run", "--target", "127.0.0.1:" + closedPort, "--connections", "100", "--max-failures", "5",
                "--out", dir.toString(), "--no-progress");

        assertEquals(1, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals("TOO_MANY_FAILURES", s.get("endReason").asText());
        assertTrue(s.at("/failures/econnrefused/count").asLong() >= 5, s.get("failures")::toString);
        assertTrue(c.out.toString().contains("econnrefused"), c.out::toString);
        // Counted from the window's start, as durationSeconds is: "first at 41 ms" in a 34 ms window read as after it.
        assertTrue(s.at("/failures/econnrefused/firstAtMs").asDouble() <= s.get("durationSeconds").asDouble() * 1000 + 1,
                s::toString);
    }

    @Test
    void failuresThatEndTheRunDuringWarmupAreStillReported() throws IOException {
        int closedPort = closedLoopbackPort();
        Path dir = tmp.resolve("refused-in-warmup");
        Cli c = new Cli();
        int code = c.run("run", "--target", "127.0.0.1:" + closedPort, "--warmup", "30s", "--max-failures", "5",
                "--out", dir.toString(), "--no-progress");

        assertEquals(1, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals("TOO_MANY_FAILURES", s.get("endReason").asText());
        assertTrue(s.get("endedInWarmup").asBoolean(), s::toString);
        assertTrue(s.at("/failures/econnrefused/count").asLong() >= 5, s.get("failures")::toString);
        assertTrue(s.at("/connections/failed").asLong() >= 5, s.get("connections")::toString);
        assertTrue(c.out.toString().contains("ended during its warm-up"), c.out::toString);
        assertTrue(s.get("jit").isNull(), "no measured part, so no JIT reading of it: " + s.get("jit"));
        assertTrue(s.get("cpu").isNull(), "no measured part, so no CPU reading of it: " + s.get("cpu"));
    }

    /** The CPU time is read over the warm-up, the measured part and its second half, each as long as it ran. */
    @Test
    void theCpuAndTheJitsShareAreReadOverEachPartOfTheRun() throws IOException {
        Path dir = tmp.resolve("jit");
        Cli c = new Cli();
        long cpuBefore = processCpuNanos();
        int code = c.run("run", "--warmup", "1s", "--duration", "3s", "--out", dir.toString(), "--no-progress");
        double wholeRun = (processCpuNanos() - cpuBefore) / 1e9;

        assertEquals(0, code, c.err::toString);
        JsonNode j = SummaryJson.read(dir).get("jit");
        assertTrue(j.isObject(), "no jit reading in summary.json");
        // The warm-up and what comes before it (the start, 0.3 s, and the warm-up's drain): 1.87 s with a full build and
        // other work beside it (2026-12-06), so bounded above loosely; never less than the warm-up asked.
        double warmup = j.get("warmupSeconds").asDouble();
        assertTrue(warmup >= 0.95 && warmup < 2.5, j::toString);
        assertEquals(3.0, j.get("measuredSeconds").asDouble(), 0.3, j::toString);
        // The second half: from the last tick (one a second after the first second) at or before 1.5 s, to the end.
        assertEquals(2.0, j.get("lateSeconds").asDouble(), 0.5, j::toString);
        double compiled = j.get("measuredCompileSeconds").asDouble();
        double late = j.get("lateCompileSeconds").asDouble();
        assertTrue(late >= 0 && late <= compiled && compiled >= 0 && j.get("warmupCompileSeconds").asDouble() >= 0, j::toString);
        assertEquals(Math.round(compiled / j.get("measuredSeconds").asDouble() * 1000) / 10.0,
                j.get("measuredSharePercent").asDouble(), 0.2, j::toString);
        // busy is the unrounded share over 5%: a share shown as 5.0 may be either side of it (it was 5.02 once).
        double lateShare = j.get("lateSharePercent").asDouble();
        if (Math.abs(lateShare - 5) > 0.05) {
            assertEquals(lateShare > 5, j.get("busy").asBoolean(), j::toString);
        }
        // The process's own CPU over the measured part: within what this JVM spent over the whole run (warm-up and
        // start included), and much of it: 0.66 of it on a quiet machine, 0.53 beside two busy loops (the warm-up's
        // compiling takes its CPU whatever the load). Not against the wall clock: beside two busy loops at a higher
        // priority, client and sink got 0.98 s of CPU in the 3 s (2026-12-07), where the test had asked for 1.5 s.
        JsonNode s = SummaryJson.read(dir);
        JsonNode cpu = s.get("cpu");
        double busy = cpu.get("measuredSeconds").asDouble();
        assertTrue(busy > 0.3 * wholeRun && busy <= wholeRun + 0.05, () -> cpu + " of " + wholeRun + " s over the whole run");
        assertTrue(busy <= 3.3 * Runtime.getRuntime().availableProcessors(), cpu::toString);
        assertEquals(busy * 1e6 / s.at("/connections/completed").asLong(), cpu.get("perConnectionMicros").asDouble(), 0.1,
                cpu::toString);
        assertEquals(j.get("measuredSeconds").asDouble(), cpu.get("windowSeconds").asDouble(), 1e-9, cpu::toString);
        // The state sampler's own thread, inside that figure: some CPU (a sample every 100 ms walks the
        // kernel's hash), and a small part of the process's.
        double sampler = cpu.get("samplerSeconds").asDouble();
        assertTrue(sampler > 0 && sampler < 0.25 * busy, cpu::toString);
        assertEquals(Math.round(sampler / busy * 1000) / 10.0, cpu.get("samplerPercent").asDouble(), 0.2, cpu::toString);
        assertTrue(c.out.toString().contains(String.format(Locale.ROOT, "              of it the state sampler %.2f s (%.1f%%), "
                + "the JIT's compilers %.2f s", sampler, cpu.get("samplerPercent").asDouble(), compiled)), c.out::toString);
    }

    /** This JVM's CPU time, all threads, user and system. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void anAutomaticWarmupRunsUntilTheJitIsQuietAndSaysHowLong() throws IOException {
        Path dir = tmp.resolve("auto");
        Cli c = new Cli();
        int code = c.run("run", "--warmup", "auto", "--duration", "1s", "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals("auto", s.at("/scenario/warmup").asText());
        assertEquals("120s", s.at("/scenario/warmupAuto/atMost").asText(), s::toString);
        double ran = s.at("/jit/warmupSeconds").asDouble();
        // Not before its least (3 s), and ended by the quiet compilers, not by its ceiling.
        assertTrue(ran >= 3.0 && ran < 120, () -> "the warm-up ran " + ran + " s");
        assertTrue(c.out.toString().contains(String.format(Locale.ROOT, "  warm-up     auto, %.1f s: until the JIT", ran)),
                c.out::toString);
    }

    @Test
    void anAutomaticWarmupIsRefusedWhereThereAreNoCompilersToWatch() throws IOException {
        // A JVM run with -Xint: its /proc task list has no compiler thread.
        Path proc = tmp.resolve("proc");
        Path task = Files.createDirectories(proc.resolve("self/task/1"));
        Files.writeString(task.resolve("comm"), "java\n");
        Files.writeString(task.resolve("schedstat"), "1000 0 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.checkCompilersFound(CompilerCpu.of(proc)));
        assertTrue(e.getMessage().startsWith("--warmup auto ends when the JIT compiler threads go quiet"), e::getMessage);
        RunCommand.checkCompilersFound(CompilerCpu.of(Path.of("/proc"))); // this JVM's own are found

        Cli bad = new Cli();
        assertEquals(2, bad.run("run", "--warmup", "automatic", "--connections", "10"));
        assertEquals(1, bad.err.toString().strip().lines().count(), bad.err::toString);
        assertTrue(bad.err.toString().contains("'automatic' is not a duration"), bad.err::toString);
        assertTrue(bad.err.toString().contains("e.g. 200ms or 1s, or auto (until the JIT is quiet)"), bad.err::toString);
    }

    @Test
    void aRunThatCompletedNothingExitsOne() throws IOException {
        int closedPort = closedLoopbackPort();
        Path dir = tmp.resolve("nothing");
        Cli c = new Cli();
        int code = c.run("run", "--target", "127.0.0.1:" + closedPort, "--connections", "10", "--out", dir.toString(),
                "--no-progress");

        assertEquals(1, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(0, s.at("/connections/completed").asLong());
        assertEquals(10, s.at("/connections/failed").asLong());
        assertEquals("COUNT_REACHED", s.get("endReason").asText());
        assertTrue(c.err.toString().contains("no connection completed"), c.err::toString);
        assertEquals("0s", s.at("/scenario/warmup").asText(), "no default warm-up against a --target");
        assertEquals(10, s.at("/failures/econnrefused/count").asLong(), "the kernel refused each, and each was counted");
        String table = c.out.toString();
        assertTrue(table.contains("econnrefused 10"), table);
        assertTrue(table.contains("phases      none timed: no connection completed (phases are recorded as connections complete)"), table);
        assertFalse(table.contains("phase (µs)"), "no header over no rows: " + table);
    }

    @Test
    void theHelpListsCtrlCsExitCode() {
        Cli c = new Cli();
        assertEquals(0, c.run("--help"));
        assertTrue(c.out.toString().contains("130"), c.out::toString);
        Cli r = new Cli();
        assertEquals(0, r.run("run", "--help"));
        assertTrue(r.out.toString().contains("130") && r.out.toString().contains("accept-queue wait"), r.out::toString);
    }

    @Test
    void theCloseWaitPeakIsAtLeastTheEndOfLoadState() throws IOException {
        // The sink never closes: at the end of the load every connection sits in CLOSE_WAIT on its
        // side, until the sink lets go. The peak must see all of them, however the sampling fell.
        Path dir = tmp.resolve("never");
        Cli c = new Cli();
        int code = c.run("run", "--closer", "never", "--connections", "2000", "--concurrency", "4", "--interval", "1s",
                "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(2000, s.at("/connections/completed").asLong());
        assertEquals(2000, s.at("/states/peak/CLOSE_WAIT").asLong(), s.get("states")::toString);
        assertEquals(0, s.at("/states/final/CLOSE_WAIT").asLong(), "the sink closed them at the end");
        // That close put the client's ends in TIME_WAIT: the final shows it, the peak does not (the run had none;
        // the peak once read 2,000, and compare's TW peak with it).
        assertEquals(2000, s.at("/states/final/TIME_WAIT").asLong(), s.get("states")::toString);
        assertEquals(0, s.at("/states/peak/TIME_WAIT").asLong(), s.get("states")::toString);
    }

    @Test
    void theDefaultWarmupIsFiveSecondsUnlessThePropertySaysOtherwise() {
        assertEquals(Duration.ofSeconds(5), RunCommand.defaultWarmupFrom(null));
        assertEquals(Duration.ofSeconds(5), RunCommand.defaultWarmupFrom(" "));
        assertEquals(Duration.ofMillis(500), RunCommand.defaultWarmupFrom("500ms"));
    }

    @Test
    void theDefaultRunWarmsUpAndItsWarmupLeavesNoTimeWait() throws IOException {
        Path dir = tmp.resolve("default");
        Cli c = new Cli();
        int code = c.run("run", "--connections", "3000", "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        // The suite shortens the 5 s default (pom.xml, churn.run.defaultWarmup); it is there all the same.
        assertEquals(System.getProperty("churn.run.defaultWarmup", "5s"), s.at("/scenario/warmup").asText());
        assertEquals(3000, s.at("/phases/accept/count").asLong(), "accept counts the measured connections only");
        // The warm-up's connections close with RST: the client's TIME_WAIT are the measured ones only.
        assertTrue(s.at("/states/peak/TIME_WAIT").asLong() <= 3000, s.get("states")::toString);
        // The kernel deltas cover the measured part (KernelCounterWindowTest counts them exactly in a
        // namespace of its own); here other processes may add to them.
        assertTrue(s.at("/kernel/ActiveOpens").asLong() >= 3000, s.get("kernel")::toString);
        // A run of a fraction of a second still has a rate over time: 200 ms intervals. The reporter's tick may come
        // late on a busy machine, and one due just before the run's end then finds it over: a 0.207 s run logged one
        // interval in a build of two test JVMs (2026-12-07). 100 ms of slack for that.
        long cycleLines = Files.readAllLines(dir.resolve("latency.hlog")).stream().filter(l -> l.startsWith("Tag=cycle,")).count();
        double seconds = s.get("durationSeconds").asDouble();
        assertTrue(cycleLines >= Math.min(4, 1 + (long) (Math.max(0, seconds - 0.1) / 0.2)), cycleLines + " intervals in " + seconds + " s");
        // The first is a whole 200 ms (or the whole run): not cut at the warm-up's tick that fell just after the
        // measured part began (47 ms for an open loop whose warm-up took 153 ms to end; QA, 2026-12-06). Only the last
        // may be shorter, and an interval with nothing in it is not logged: with one line, it may be the last.
        List<String> cycles = Files.readAllLines(dir.resolve("latency.hlog")).stream().filter(l -> l.startsWith("Tag=cycle,"))
                .toList();
        if (cycles.size() >= 2) {
            double length = Double.parseDouble(cycles.getFirst().split(",")[2]);
            assertTrue(length >= 0.198, cycles.getFirst() + " in a run of " + seconds + " s");
        }
    }

    /**
     * Under TLS too, the warm-up's connections reset (SO_LINGER 0) and leave no TIME_WAIT: one that
     * sent close_notify and its FIN first could take the sink's FIN before close(2), and a socket
     * that has both FINs is in TIME_WAIT whatever SO_LINGER says (seen: 431 for 300 connections).
     */
    @ParameterizedTest
    @ValueSource(strings = {"blocking", "nio", "selector"})
    void aTlsWarmupLeavesNoTimeWait(String transport) throws IOException {
        Path dir = tmp.resolve("tls-warmup-" + transport);
        Cli c = new Cli();
        int code = c.run("run", "--tls", "--transport", transport, "--response", "10", "--connections", "100",
                "--warmup", "1500ms", "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(100, s.at("/tlsHandshakes/handshakes").asLong(), s::toString);
        assertTrue(s.at("/states/peak/TIME_WAIT").asLong() <= 100, s.get("states")::toString);
    }

    /** --http on epoll against the built-in sink: every response read whole, through the HTTP parser. */
    @Test
    void httpOnEpollAgainstTheSink() throws IOException {
        Path dir = tmp.resolve("http-epoll");
        Cli c = new Cli();
        int code = c.run("run", "--transport", "epoll", "--threads", "2", "--http", "/", "--response", "3000",
                "--connections", "400", "--concurrency", "8", "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(400, s.at("/connections/completed").asLong(), s::toString);
        assertEquals(0, s.at("/connections/failed").asLong(), s.get("failures")::toString);
        assertEquals(400, s.at("/phases/first_byte/count").asLong());
        assertEquals("/", s.at("/scenario/http").asText());
    }

    @Test
    void aConcurrencyAboveTheConnectionsIsCappedAndSaidSo() throws IOException {
        Path dir = tmp.resolve("capped");
        Cli c = new Cli();
        int code = c.run("run", "--concurrency", "100000", "--connections", "200", "--warmup", "0s", "--out", dir.toString(),
                "--no-progress");

        assertEquals(0, code, c.err::toString);
        assertTrue(c.err.toString().contains("--concurrency 100,000 is more than the 200 connections asked for: 200 run at once"),
                c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(200, s.at("/connections/completed").asLong());
        // What ran, not what was asked: the label, the header and the scenario all say 200.
        assertEquals(200, s.at("/scenario/load/concurrency").asLong(), s.get("scenario")::toString);
        assertEquals("blocking-client-c200", s.get("label").asText());
        assertTrue(c.out.toString().contains("closed loop, concurrency 200,"), c.out::toString);
        // The window ends with the last connection: 200 loopback connections take well under 10 s.
        assertTrue(s.get("durationSeconds").asDouble() < 10, s::toString);
    }

    @Test
    void aWarmupInWhichEverythingFailsEndsEarlyAndSaysSo() throws IOException {
        // Its one local port is held by a listener: every cycle fails to bind. The warm-up used to fail for
        // its full 5 s (tens of thousands of times) before the measured part failed the same way.
        try (java.net.ServerSocket holder = new java.net.ServerSocket()) {
            holder.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = holder.getLocalPort();
            Path dir = tmp.resolve("futile");
            Cli c = new Cli();
            long t0 = System.nanoTime();
            int code = c.run("run", "--bind-ports", port + "-" + port, "--connections", "3", "--warmup", "5s",
                    "--out", dir.toString(), "--no-progress");
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertEquals(ExitCodes.FAILURE, code, c.err::toString);
            JsonNode s = SummaryJson.read(dir);
            JsonNode cut = s.get("warmupEndedEarly");
            assertTrue(cut != null && cut.path("failed").asLong() >= 100, s::toString);
            assertTrue(cut.path("afterSeconds").asDouble() < 5, cut::toString);
            assertTrue(seconds < 5, "the run took " + seconds + " s");
            assertEquals(3, s.at("/failures/eaddrinuse/count").asLong(), s.get("failures")::toString);
            String table = c.out.toString().replaceAll("\\s+", " ");
            // Why, from the warm-up's own failures (QA, 2026-12-06: the measured part's below may differ).
            assertTrue(table.matches(".*note the warm-up ended after \\d+\\.\\d s, not 5s: its first [\\d,]+ cycles all failed "
                    + "and none completed, so it could warm nothing up; its failures: eaddrinuse [\\d,]+ \\(the first of the"
                    + " most: [A-Za-z]+: Address already in use\\).*"), c.out::toString);
            assertEquals(cut.path("failed").asLong(), cut.at("/failures/eaddrinuse/count").asLong(), cut::toString);
        }
        Cli fine = new Cli();
        assertEquals(0, fine.run("run", "--connections", "50", "--warmup", "300ms", "--out", tmp.resolve("fine").toString(),
                "--no-progress"));
        assertFalse(SummaryJson.read(tmp.resolve("fine")).has("warmupEndedEarly"), "a warm-up that completes runs its length");
    }

    @Test
    void fewerBoundPortsThanConnectionsAtOnceIsSaidBeforeTheFailuresItCauses() throws IOException {
        Path dir = tmp.resolve("few-ports");
        Cli c = new Cli();
        int code = c.run("run", "--bind-ports", "20400-20403", "--concurrency", "8", "--connections", "40", "--warmup", "0s",
                "--closer", "server", "--out", dir.toString(), "--no-progress");

        assertEquals(0, code, c.err::toString);
        assertTrue(c.err.toString().contains("warning: --bind-ports 20400-20403 holds 4 ports for 8 connections at once: "
                + "the others fail to bind (EADDRINUSE) until a port is free"), c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(40, s.at("/connections/attempted").asLong());

        Cli enough = new Cli();
        assertEquals(0, enough.run("run", "--bind-ports", "20410-20417", "--concurrency", "8", "--connections", "16",
                "--warmup", "0s", "--closer", "server", "--out", tmp.resolve("enough").toString(), "--no-progress"));
        assertFalse(enough.err.toString().contains("--bind-ports"), enough.err::toString);
    }

    /** An open loop's own bound on what is in flight (1,000) is not the user's --concurrency: nothing to warn about. */
    @Test
    void anOpenLoopOfFewConnectionsGivesNoConcurrencyWarning() throws IOException {
        Cli c = new Cli();
        int code = c.run("run", "--rate", "200", "--connections", "20", "--warmup", "0s", "--out", tmp.resolve("few").toString(),
                "--no-progress");

        assertEquals(0, code, c.err::toString);
        assertEquals("", c.err.toString());
        assertEquals(20, SummaryJson.read(tmp.resolve("few")).at("/connections/completed").asLong());
    }

    @Test
    void aConcurrencyThisProcessCannotServeIsRefusedInOneLine() throws IOException {
        long openFiles = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).map(l -> l.split("\\s+")[3])
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
        assumeTrue(openFiles < 190_000, "ulimit -n " + openFiles + " serves 100,000 connections in flight");
        Cli c = new Cli();
        int code = c.run("run", "--transport", "selector", "--concurrency", "100000", "--duration", "1s",
                "--out", tmp.resolve("refused").toString(), "--no-progress");

        assertEquals(2, code, c.err::toString);
        List<String> lines = c.err.toString().lines().toList();
        assertEquals(1, lines.size(), c.err::toString);
        assertTrue(lines.getFirst().contains("file descriptors") && lines.getFirst().contains("ulimit -n"), lines.getFirst());
        assertFalse(Files.exists(tmp.resolve("refused")));
    }

    @Test
    void stopMidRunWritesCompleteFilesAndSaysStopped() throws Exception {
        Path dir = tmp.resolve("stopped");
        Cli c = new Cli();
        RunCommand run = c.runCommand();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() ->
                c.run("run", "--duration", "60s", "--out", dir.toString(), "--no-progress"));

        assertTrue(run.stopper.awaitRunning(Duration.ofSeconds(20)), "the run reported a tick");
        // The same call the Ctrl-C hook makes: stop, then wait for the results.
        assertTrue(run.stopper.stopAndAwait(RunCommand.STOP_WAIT), "results written within the hook's wait");

        assertEquals(0, code.get(20, TimeUnit.SECONDS), c.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals("STOPPED", s.get("endReason").asText());
        assertTrue(s.get("durationSeconds").asDouble() < 30, "stopped long before its 60 s");
        assertTrue(s.at("/connections/completed").asLong() > 0);
        for (String f : List.of("summary.json", "latency.hlog", "cycle.hgrm", "states.csv")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertNoTemporaryFiles(dir);
    }

    /** A stop in the warm-up keeps the warm-up's counts, and says whose they are: no RST of its SO_LINGER 0 blamed on the server. */
    @Test
    void stopInTheWarmUpSaysTheCountsAreTheWarmUps() throws Exception {
        Path dir = tmp.resolve("stopped-warming");
        Cli c = new Cli();
        RunCommand run = c.runCommand();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() ->
                c.run("run", "--warmup", "60s", "--duration", "5s", "--out", dir.toString(), "--no-progress"));

        Thread.sleep(3_000); // well inside the 60 s warm-up, with some of its cycles done
        assertTrue(run.stopper.stopAndAwait(RunCommand.STOP_WAIT), "results written within the hook's wait");

        assertEquals(1, code.get(20, TimeUnit.SECONDS), "nothing measured: " + c.err);
        JsonNode s = SummaryJson.read(dir);
        assertTrue(s.get("endedInWarmup").asBoolean(), s::toString);
        String out = c.out.toString();
        assertTrue(out.contains("(STOPPED in the warm-up)"), out);
        assertTrue(out.contains("(deltas over the warm-up, whole network namespace)"), out);
        assertTrue(s.at("/kernel/OutRsts").asLong() > 0, "the warm-up's SO_LINGER 0 closes sent RSTs: " + s.get("kernel"));
        assertFalse(out.contains("in a run that closes without them"), out);
    }

    static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> temps = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), temps);
        }
    }
}
