package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.bench.control.SessionReport;
import dev.churn.bench.result.SummaryJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code churn serve --closer never} under a low {@code ulimit -n}, in its own process: it holds what the
 * limit leaves room for, serves and closes the connections past that, says so, and still writes the
 * session's results. Holding every connection, a session of 2 x 11,000 under a limit of 20,000 once left
 * the server no descriptor to write them.
 */
class ServeHoldBoundTest {

    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CONTROL = Pattern.compile("control on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern NOT_HELD = Pattern.compile(", ([\\d,]+) not held \\(past the ([\\d,]+) this ulimit -n allows\\)");
    /** The serving process's descriptor limit: well above what a JVM opens for itself, well below the connections made. */
    private static final int LIMIT = 400;
    private static final int CONNECTIONS = 1_000;

    @TempDir
    Path tmp;

    private static long number(String withCommas) {
        return Long.parseLong(withCommas.replace(",", ""));
    }

    /** Reads the process's output (stderr with it) into {@code out} on a daemon thread, until the process closes it. */
    static Thread collect(Process p, StringBuffer out) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process went: what it wrote is in out
            }
        });
    }

    @Test
    void underALowDescriptorLimitTheSessionIsStillStored() throws Exception {
        assumePrlimit();
        Path sessions = tmp.resolve("sessions");
        List<String> cmd = churnUnder(LIMIT, "serve", "--port", "0", "--closer", "never", "--clients", "1", "--sessions", "1",
                "--out", sessions.toString(), "--duration", "120s");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = collect(p, out);
        try {
            int[] ports = awaitPorts(out);
            Path local = tmp.resolve("local");
            RunCommandTest.Cli run = new RunCommandTest.Cli();
            int code = run.run("run", "--target", "127.0.0.1:" + ports[0], "--join", "--control-port", Integer.toString(ports[1]),
                    "--closer", "never", "--connections", Integer.toString(CONNECTIONS), "--warmup", "0s", "--out", local.toString(),
                    "--no-progress");
            assertEquals(0, code, run.err::toString);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "serve --sessions 1 ended: " + out);
            reader.join(5_000);
            assertEquals(0, p.exitValue(), out::toString);

            String said = out.toString();
            assertTrue(said.contains("--closer never holds at most "), said);
            // Its figures add up: the bound, the reserve and what was open already make the limit (17,485 beside 20,000
            // less 2,500 did not, QA 2026-12-06).
            Matcher bound = java.util.regex.Pattern.compile("holds at most ([\\d,]+) connections at once \\(ulimit -n ([\\d,]+),"
                    + " less ([\\d,]+) kept for serving and results and ([\\d,]+) open already\\)").matcher(said);
            assertTrue(bound.find(), said);
            assertEquals(number(bound.group(2)), number(bound.group(1)) + number(bound.group(3)) + number(bound.group(4)), said);
            Matcher m = NOT_HELD.matcher(said);
            assertTrue(m.find(), said);
            long notHeld = Long.parseLong(m.group(1).replace(",", ""));
            long cap = Long.parseLong(m.group(2).replace(",", ""));
            assertTrue(cap > 0 && cap < LIMIT - 64, said);
            // Every measured connection past the bound was served and closed (the warm-up has none: --warmup 0s).
            assertTrue(notHeld >= CONNECTIONS - cap && notHeld < CONNECTIONS, said);

            Path session;
            try (Stream<Path> s = Files.list(sessions)) {
                session = s.findFirst().orElseThrow();
            }
            assertTrue(Files.isRegularFile(session.resolve(SessionReport.FILE)), said);
            // The session's own record says so too, not only serve's last line: its table and session.json.
            assertTrue(said.contains(String.format(Locale.ROOT, "not held    %,d of the session's connections", notHeld)),
                    said);
            JsonNode record = new ObjectMapper().readTree(session.resolve(SessionReport.FILE).toFile());
            assertEquals(notHeld, record.at("/server/notHeld").asLong(), record::toString);
            // One client: its folder is the session's run (no merged/).
            Path stored = session.resolve(only(session));
            JsonNode summary = SummaryJson.read(stored);
            assertEquals(CONNECTIONS, summary.at("/connections/completed").asLong(), summary::toString);
            assertEquals(Files.readString(local.resolve("summary.json")), Files.readString(stored.resolve("summary.json")),
                    "the client's results, stored whole");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Skips a test without prlimit (util-linux), which sets a churn process's ulimit -n. */
    static void assumePrlimit() {
        assumeTrue(Files.isExecutable(PRLIMIT), "prlimit (util-linux) is not installed: it sets the server's ulimit -n");
    }

    /** The command line of a churn process (this test's classes) whose ulimit -n is {@code limit}. */
    static List<String> churnUnder(int limit, String... args) {
        List<String> cmd = new ArrayList<>(List.of(PRLIMIT.toString(), "--nofile=" + limit + ":" + limit,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static int[] awaitPorts(StringBuffer out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher l = LISTENING.matcher(out);
            Matcher c = CONTROL.matcher(out);
            if (l.find() && c.find()) {
                return new int[] {Integer.parseInt(l.group(1)), Integer.parseInt(c.group(1))};
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve never said where it listens: " + out);
    }

    /** The one client folder of a session (beside merged/ and session.json). */
    private static String only(Path session) throws Exception {
        try (Stream<Path> s = Files.list(session)) {
            List<Path> clients = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals(SessionReport.MERGED))
                    .toList();
            assertEquals(1, clients.size(), clients::toString);
            return clients.getFirst().getFileName().toString();
        }
    }
}
