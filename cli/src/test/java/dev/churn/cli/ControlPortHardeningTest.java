package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code churn serve}'s control port against clients that are not churn: anything that reaches the port may send
 * anything, and each finding of QA's (2026-12-06) is here as the client that did it. The client is dropped, lost
 * with a reason in one line, and the server goes on.
 */
class ControlPortHardeningTest {

    private static final Pattern CONTROL = Pattern.compile("control on 127\\.0\\.0\\.1:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool();

    @TempDir
    Path tmp;

    /**
     * A file named with a NUL byte: Path.resolve threw InvalidPathException on the client's thread, the client was never
     * lost nor complete, and every client after it was refused until the server restarted (QA, 2026-12-06).
     */
    @Test
    void aFileNameWithANulByteDropsTheClientAndTheServerGoesOn() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 1, 2);
        int port = awaitControlPort(serve);
        try (ControlPeer evil = new ControlPeer(port)) {
            assertEquals("welcome", evil.hello("evil", 1).path("type").asText());
            evil.ready();
            assertNull(evil.started().results(Map.of("states-\u0000.csv", "x\n".getBytes(StandardCharsets.UTF_8))));
        }
        awaitLine(serve, "session: evil lost: ");
        String lost = line(serve, "session: evil lost: ");
        assertTrue(lost.contains("sent a file named 'states-\\x00.csv', which is not one of a run's results files"), lost);
        assertASessionOfOneRuns(serve, port, "next");
        assertEquals(1, served.get(20, TimeUnit.SECONDS), serve.out::toString);
    }

    /**
     * A client sent 3,003 files, names with an ESC, a right-to-left override and 240 characters among them, and the
     * server stored every one (QA, 2026-12-06): more than a run's results, or a name churn does not write, drops it.
     */
    @Test
    void manyFilesOrNamesChurnDoesNotWriteDropTheClient() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 1, 4);
        int port = awaitControlPort(serve);
        Map<String, byte[]> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("states-" + i + ".csv", new byte[10]);
        }
        List<Map<String, byte[]>> sent = List.of(many, Map.of("states-\u202egnp.csv", new byte[1]),
                Map.of("states-\u001b]0;pwned\u0007.csv", new byte[1]),
                Map.of("states-" + "A".repeat(240) + ".csv", new byte[1]));
        for (int i = 0; i < sent.size(); i++) {
            try (ControlPeer evil = new ControlPeer(port)) {
                assertEquals("welcome", evil.hello("evil" + i, 1).path("type").asText(), serve.out::toString);
                evil.ready();
                assertNull(evil.started().results(sent.get(i)));
            }
            awaitLine(serve, "session: evil" + i + " lost: ");
        }
        assertTrue(line(serve, "session: evil0 lost: ").contains(" sent 65 files, more than a run's results (at most 64)"),
                serve.out::toString);
        assertEquals(1, served.get(20, TimeUnit.SECONDS), serve.out::toString);
        try (Stream<Path> stored = Files.walk(tmp.resolve("sessions"))) {
            assertTrue(stored.noneMatch(p -> p.getFileName().toString().startsWith("states-")), "nothing of theirs is stored");
        }
    }

    /**
     * A client's latency log of histograms no churn writes (5 digits, 2^61 ns) ran the server out of memory merging
     * its session, which never ended, and every later client was refused (QA, 2026-12-06): the client is lost, saying
     * why, and the session ends with the others' results.
     */
    @Test
    void aLatencyLogNoChurnWritesDropsItsClientAndTheSessionEnds() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 2, 1);
        int port = awaitControlPort(serve);
        long t0 = System.currentTimeMillis();
        Path bomb = RunFixture.at(tmp.resolve("bomb"), "bomb", t0).interval(0, 1, 1).interval(1, 2, 1).interval(2, 3, 1).write();
        RunFixture.outsizedLog(bomb, t0, 5, 1L << 61);
        Path good = RunFixture.at(tmp.resolve("good"), "good", t0).interval(0, 1, 100).interval(1, 2, 100)
                .interval(2, 3, 100).write();
        try (ControlPeer a = new ControlPeer(port); ControlPeer b = new ControlPeer(port)) {
            assertEquals("welcome", a.hello("bomb", 2).path("type").asText());
            assertEquals("welcome", b.hello("good", 2).path("type").asText());
            CompletableFuture<JsonNode> aReady = readyAsync(a);
            assertEquals("start", b.ready().path("type").asText());
            assertEquals("start", aReady.get(10, TimeUnit.SECONDS).path("type").asText());
            List<String> run = List.of("summary.json", "latency.hlog");
            assertNull(a.started().results(ControlPeer.filesOf(bomb, run)), "no 'stored' for the log no churn writes");
            assertEquals("stored", b.started().results(ControlPeer.filesOf(good, run)).path("type").asText());
        }
        assertEquals(1, served.get(20, TimeUnit.SECONDS), serve.out::toString);
        String lost = line(serve, "session: bomb lost: ");
        assertTrue(lost != null && lost.contains(" sent results that cannot be merged: ")
                && lost.endsWith("latency.hlog is not a churn latency log: interval 1 holds a histogram of 5 significant digits"
                        + " (churn writes 3)"), serve.out::toString);
        assertTrue(serve.out.toString().contains("partial: 1 of 2 clients' results arrived; missing: bomb"),
                serve.out::toString);
    }

    /**
     * Results without a latency log (a run whose log could not be written goes on without it) cannot be merged: taken
     * as complete, the session of three was left unmerged, the two good clients' results too (review, 2026-12-07). The
     * client is lost, saying why, and the others merge.
     */
    @Test
    void resultsWithoutALatencyLogDropTheirClientAndTheOthersMerge() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 3, 1);
        int port = awaitControlPort(serve);
        long t0 = System.currentTimeMillis();
        List<Path> runs = new java.util.ArrayList<>();
        for (String l : List.of("nolog", "g1", "g2")) {
            runs.add(RunFixture.at(tmp.resolve(l), l, t0).interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100).write());
        }
        try (ControlPeer a = new ControlPeer(port); ControlPeer b = new ControlPeer(port); ControlPeer c = new ControlPeer(port)) {
            List<ControlPeer> peers = List.of(a, b, c);
            for (int i = 0; i < 3; i++) {
                assertEquals("welcome", peers.get(i).hello(runs.get(i).getFileName().toString(), 3).path("type").asText());
            }
            List<CompletableFuture<JsonNode>> ready = peers.stream().map(ControlPortHardeningTest::readyAsync).toList();
            for (CompletableFuture<JsonNode> r : ready) {
                assertEquals("start", r.get(10, TimeUnit.SECONDS).path("type").asText());
            }
            assertNull(a.started().results(ControlPeer.filesOf(runs.get(0), List.of("summary.json"))),
                    "no 'stored' for results without their log");
            for (int i = 1; i < 3; i++) {
                assertEquals("stored", peers.get(i).started().results(ControlPeer.filesOf(runs.get(i),
                        List.of("summary.json", "latency.hlog"))).path("type").asText());
            }
        }
        assertEquals(1, served.get(20, TimeUnit.SECONDS), serve.out::toString);
        String lost = line(serve, "session: nolog lost: ");
        assertTrue(lost != null && lost.endsWith(" sent results that cannot be merged: no latency.hlog among them"),
                serve.out::toString);
        assertTrue(serve.out.toString().contains("partial: 2 of 3 clients' results arrived; missing: nolog"),
                serve.out::toString);
        assertTrue(serve.out.toString().lines().anyMatch(l -> l.startsWith("merged ")), serve.out::toString);
    }

    /**
     * Labels that are the session's own files: a client labelled {@code merged} had its folder overwritten by the merge
     * (its row showed the merge's numbers, its states.csv gone), and one labelled {@code session.json} left the session
     * without its record while serve exited 0 (QA, 2026-12-06). Each is given its label with -2, as a duplicate is.
     */
    @Test
    void aLabelThatIsOneOfTheSessionsOwnFilesIsGivenAnother() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 2, 1);
        int port = awaitControlPort(serve);
        long t0 = System.currentTimeMillis();
        List<String> labels = List.of("merged", "session.json");
        List<Path> runs = new java.util.ArrayList<>();
        for (String l : labels) {
            runs.add(RunFixture.at(tmp.resolve("run-" + l), l, t0).interval(0, 1, 100).interval(1, 2, 100).states(3, 3).write());
        }
        runSession(serve, port, labels, runs, List.of("summary.json", "latency.hlog", "states.csv"), "stored");
        assertEquals(0, served.get(20, TimeUnit.SECONDS), serve.out::toString);
        Path session = sessionFolder();
        assertTrue(Files.isRegularFile(session.resolve("session.json")), serve.out::toString);
        assertTrue(Files.isRegularFile(session.resolve("merged").resolve("summary.json")));
        for (String l : labels) {
            assertTrue(Files.isRegularFile(session.resolve(l + "-2").resolve("states.csv")), l);
        }
        assertEquals(400, SummaryJson.read(session.resolve("merged")).at("/connections/completed").asLong());
    }

    /** A session whose session.json cannot be written is a failed session: serve --sessions exits 1 and says why. */
    @Test
    void aSessionWhoseRecordCannotBeWrittenExitsOne() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 1, 1);
        int port = awaitControlPort(serve);
        Path run = RunFixture.at(tmp.resolve("run"), "solo", System.currentTimeMillis()).interval(0, 1, 100).write();
        try (ControlPeer solo = new ControlPeer(port)) {
            assertEquals("welcome", solo.hello("solo", 1).path("type").asText());
            assertEquals("start", solo.ready().path("type").asText());
            Files.createDirectories(sessionFolder().resolve("session.json")); // in its way
            assertEquals("stored", solo.started().results(ControlPeer.filesOf(run, List.of("summary.json", "latency.hlog")))
                    .path("type").asText());
        }
        assertEquals(1, served.get(20, TimeUnit.SECONDS), serve.out::toString);
        assertTrue(serve.out.toString()
                .contains("1 session(s) cancelled, short of a client or not written (said above): exit 1"),
                serve.out::toString);
    }

    /** A client whose results came without a summary.json: its row says so, where it said "lost: null" (QA, 2026-12-06). */
    @Test
    void resultsWithoutASummaryAreSaidToBeSo() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 1, 1);
        int port = awaitControlPort(serve);
        Path run = RunFixture.at(tmp.resolve("run"), "nosum", System.currentTimeMillis()).interval(0, 1, 100).write();
        runSession(serve, port, List.of("nosum"), List.of(run), List.of("latency.hlog"), "stored");
        assertEquals(0, served.get(20, TimeUnit.SECONDS), serve.out::toString);
        String row = line(serve, "nosum ");
        assertTrue(row != null && !row.contains("null") && row.contains("stored, but ")
                && row.contains("holds no summary.json (not a churn run folder) (exit 0; completed: as it said)"),
                serve.out::toString);
    }

    /**
     * The clients of {@code labels} join one session, get ready and start together, then send these files of their
     * {@code runs}; each answer's type must be {@code answer}.
     */
    private static void runSession(RunCommandTest.Cli serve, int port, List<String> labels, List<Path> runs, List<String> files,
            String answer) throws Exception {
        List<ControlPeer> peers = new java.util.ArrayList<>();
        try {
            for (String l : labels) {
                ControlPeer p = new ControlPeer(port);
                peers.add(p);
                assertEquals("welcome", p.hello(l, labels.size()).path("type").asText(), serve.out::toString);
            }
            List<CompletableFuture<JsonNode>> ready = peers.stream().map(ControlPortHardeningTest::readyAsync).toList();
            for (CompletableFuture<JsonNode> r : ready) {
                assertEquals("start", r.get(10, TimeUnit.SECONDS).path("type").asText());
            }
            for (int i = 0; i < peers.size(); i++) {
                JsonNode a = peers.get(i).started().results(ControlPeer.filesOf(runs.get(i), files));
                assertEquals(answer, a == null ? null : a.path("type").asText(), serve.out::toString);
            }
        } finally {
            for (ControlPeer p : peers) {
                p.close();
            }
        }
    }

    /** The one session's folder (serve made it at its start). */
    private Path sessionFolder() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("sessions"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /**
     * A hello's label of terminal escapes (a window title, a cleared screen), a newline and a made-up "session: ...
     * stored" line was printed as it came, and so was a sink term; a 60,000-character label made a line of 60 KB (QA,
     * 2026-12-06). What the peer sent is shown escaped and clipped, on the refusal's one line.
     */
    @Test
    void whatAClientSentIsShownEscapedAndClipped() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = serve(serve, 1, 1);
        int port = awaitControlPort(serve);
        String forged = "\u001b]0;PWNED\u0007\u001b[2J\nsession: client-1's results stored (999999 completed, exit 0)";
        for (String label : List.of(forged, "A".repeat(60_000))) {
            try (ControlPeer evil = new ControlPeer(port)) {
                JsonNode r = evil.hello(label, 1);
                assertEquals("refused", r.path("type").asText());
                assertTrue(r.path("reason").asText().length() < 300, "the client hears it clipped too");
            }
        }
        try (ControlPeer evil = new ControlPeer(port)) {
            ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("label", "ok").put("clients", 1);
            hello.putObject("sink").put("closer", "\u001b[31mred\nX").put("request", 0).put("response", 0);
            assertEquals("refused", evil.send(hello).receive().path("type").asText());
        }
        // A hello without the sink's terms is refused, not admitted unchecked: its client could measure another sink
        try (ControlPeer bare = new ControlPeer(port)) {
            JsonNode r = bare.send(JSON.createObjectNode().put("type", "hello").put("label", "bare").put("clients", 1)
                    .put("startTimeoutMillis", 20_000)).receive();
            assertEquals("refused", r.path("type").asText());
            assertTrue(r.path("terms").asBoolean(), r::toString);
            assertTrue(r.path("reason").asText().contains("its hello has no sink terms"), r::toString);
        }
        awaitLines(serve, "control: refused ", 4);
        String out = serve.out.toString();
        assertTrue(out.contains("its --label: '\\x1b]0;PWNED\\x07\\x1b[2J\\x0asession: client-1's results stored"
                + " (999999 complet"), out);
        assertTrue(out.contains("a hello with an unknown closer '\\x1b[31mred\\x0aX'"), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("session: client-1")), out);
        assertTrue(out.chars().noneMatch(c -> c == 0x1b || c == 0x07), out);
        assertTrue(out.lines().allMatch(l -> l.length() < 400), out);
        assertASessionOfOneRuns(serve, port, "next");
        assertEquals(1, served.get(20, TimeUnit.SECONDS), serve.out::toString);
    }

    /** {@code churn serve} of {@code sessions} sessions of {@code clients}, bounded at 60 s, in the background. */
    private CompletableFuture<Integer> serve(RunCommandTest.Cli serve, int clients, int sessions) {
        return CompletableFuture.supplyAsync(() -> serve.run("serve", "--clients", Integer.toString(clients), "--sessions",
                Integer.toString(sessions), "--out", tmp.resolve("sessions").toString(), "--duration", "60s"), THREADS);
    }

    /** A client of a session of 1 that sends nothing: it joins, starts, and is lost as it closes, so its session ends. */
    private static void assertASessionOfOneRuns(RunCommandTest.Cli serve, int port, String label) throws Exception {
        try (ControlPeer next = new ControlPeer(port)) {
            JsonNode w = next.hello(label, 1);
            assertEquals("welcome", w.path("type").asText(), () -> w + "\n" + serve.out);
            assertEquals("start", next.ready().path("type").asText());
        }
        awaitLine(serve, "session: " + label + " lost: ");
    }

    static int awaitControlPort(RunCommandTest.Cli serve) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Matcher c = CONTROL.matcher(serve.out.toString());
            if (c.find()) {
                return Integer.parseInt(c.group(1));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("serve never said where its control port is: " + serve.out + serve.err);
    }

    static void awaitLine(RunCommandTest.Cli serve, String start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (line(serve, start) == null) {
            assertTrue(System.nanoTime() < deadline, () -> "no line starting '" + start + "': " + serve.out + serve.err);
            Thread.sleep(10);
        }
    }

    static void awaitLines(RunCommandTest.Cli serve, String start, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (serve.out.toString().lines().filter(l -> l.startsWith(start)).count() < n) {
            assertTrue(System.nanoTime() < deadline, () -> n + " lines starting '" + start + "' due: " + serve.out + serve.err);
            Thread.sleep(10);
        }
    }

    static String line(RunCommandTest.Cli serve, String start) {
        return serve.out.toString().lines().filter(l -> l.startsWith(start)).findFirst().orElse(null);
    }

    /** The peer says ready on a thread of its own: the start comes only once every client of the session is ready. */
    private static CompletableFuture<JsonNode> readyAsync(ControlPeer p) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return p.ready();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, THREADS);
    }
}
