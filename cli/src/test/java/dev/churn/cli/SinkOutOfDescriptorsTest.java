package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in sink running out of file descriptors is a fault the run reports. A sink that never
 * closes holds every connection; under a low {@code ulimit -n} its accept fails (EMFILE) and clients
 * wait behind its full queue. The client shares the process's limit, so its own sockets may fail too,
 * but those say nothing of the sink: only the sink's count tells. A real churn process under a real limit.
 */
@Tag("alone") // reads its network namespace's kernel counters, which count other tests' connections too (pom.xml: surefire)
class SinkOutOfDescriptorsTest {

    @TempDir
    Path tmp;

    /**
     * An open loop's default bound of 1,000 in flight does not fit under ulimit -n 256: the user never asked for it,
     * so it shrinks to what fits and a warning says so; a run of --rate 10 for 1 s was refused before.
     */
    @Test
    void aRateWhoseDefaultBoundDoesNotFitRunsWithTheBoundThatFits() throws Exception {
        Path dir = tmp.resolve("fitted");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"", java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--rate", "500", "--duration", "1s",
                "--warmup", "0s", "--no-progress", "--out", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(ExitCodes.OK, p.exitValue(), out);
        JsonNode s = SummaryJson.read(dir);
        long inFlight = s.at("/scenario/load/maxInFlight").asLong();
        // 256, less what the JVM has open and the reserve of 64, halved (a client and a sink socket each).
        assertTrue(inFlight >= 1 && inFlight <= (256 - 64) / 2, s.at("/scenario/load")::toString);
        assertTrue(out.contains(String.format(Locale.ROOT, "--rate runs up to %,d connections at once here, not 1,000: that is"
                + " what this process's limits leave room for (ulimit -n, and -u with a thread per connection;"
                + " --concurrency sets it)", inFlight)), out);
        assertTrue(s.at("/connections/completed").asLong() > 0, s.at("/connections")::toString);
    }

    @Test
    void aSinkOutOfDescriptorsIsCountedAndShown() throws Exception {
        Path dir = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Four clients in flight, not one: the sink runs out only if connections wait in its queue when the
        // last descriptor goes. With one client it once kept up, took the last descriptor itself and never
        // failed (0 of 315 accepts failed, 196 client EMFILE; 2026-12-05); with four, 12 of 12 runs failed
        // 3,815-3,982 accepts, the client 769-838 times.
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n 400 && exec \"$0\" \"$@\"", java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--closer", "never", "--duration", "2s",
                "--concurrency", "4",
                "--warmup", "0s", "--connect-timeout", "300ms", "--no-progress", "--out", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);

        JsonNode s = SummaryJson.read(dir);
        long failed = s.at("/sinkAcceptFailures/count").asLong();
        assertTrue(failed > 0, out);
        assertTrue(s.at("/sinkAcceptFailures/first").asText().contains("errno 24 (Too many open files)"), s::toString);
        assertTrue(out.contains("accept failed " + TableText.counted(failed, "time") + ", first: accept: errno 24"), out);
        assertTrue(out.contains("EMFILE: out of file descriptors; raise ulimit -n"), out);
        assertTrue(out.replaceAll("\\s+", " ").contains("(a count of accept calls, each retried: not of connections)"), out);

        // The client out of descriptors too: it paused before each next try, and the table says so, with the count.
        long emfile = s.at("/failures/emfile/count").asLong(0);
        assertTrue(emfile > 0, out);
        assertEquals(emfile, s.at("/shortagePauses/count").asLong(-1), s::toString);
        assertTrue(emfile < 2_000, () -> emfile + " EMFILE failures in 2 s: the client did not pause");
        assertTrue(out.replaceAll("\\s+", " ").contains("the client paused before its next try "
                + TableText.counted(emfile, "time")), out);

        // The state sampler keeps sampling when the process has no descriptor left: its netlink socket
        // and its sockstat file were opened before, and every row of states.csv has sockstat's count.
        assertEquals(0, s.at("/states/errors").asLong(-1), s.path("states")::toString);
        List<String> rows = Files.readAllLines(dir.resolve("states.csv"));
        int tw = List.of(rows.get(0).split(",")).indexOf("sockstat_tw");
        assertTrue(tw > 0, rows.get(0));
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(!row.split(",", -1)[tw].isEmpty(), () -> "a sample without sockstat: " + row);
        }
        // never's other half, the client's FIN_WAIT2, is shown beside the sink's CLOSE_WAIT
        assertTrue(out.contains("  FIN_WAIT2   peak " + String.format("%,d", s.at("/states/peak/FIN_WAIT2").asLong())), out);
        // Connections the sink never accepted were reset by its listener's close: said so, not "RFC 1337". Unless the
        // kernel's TIME_WAIT table was full: their FIN_WAIT2 were then never kept, and nothing ended early. Or other
        // processes' connections moved the namespace's counters too (.ci/crowded's fillers did): the table then says
        // so and reads no cause from them.
        long unaccepted = s.at("/acceptPairing/connectsWithoutAccept").asLong();
        String flat = out.replaceAll("\\s+", " ");
        boolean countersOurs = !flat.contains("other connections shared this network namespace");
        if (unaccepted > 0 && countersOurs && s.at("/kernel/OutRsts").asLong() > 0
                && s.at("/kernel/TCPTimeWaitOverflow").asLong() == 0) {
            assertTrue(flat.contains(TableText.counted(unaccepted, "connection") + " the built-in sink never accepted"), out);
            assertTrue(!flat.contains("in a run that closes without them"), out);
        }
    }

    @Test
    void aRunWhoseSinkKeptUpSaysNoAcceptFailed() throws Exception {
        Path dir = tmp.resolve("ok");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("run", "--connections", "300", "--warmup", "0s", "--no-progress", "--out", dir.toString()), c.err::toString);
        assertEquals(0, SummaryJson.read(dir).at("/sinkAcceptFailures/count").asLong(-1));
        assertTrue(!c.out.toString().contains("accept failed"), c.out::toString);
    }

    @Test
    void aServeOutOfDescriptorsSaysSoWhenItCloses() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n 200 && exec \"$0\" \"$@\"", java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0", "--request", "100",
                "--response", "1", "--duration", "4s").redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(first));
        assertTrue(m.find(), first);
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        // Each connection stays open on the server until the client times out (the server waits for 100 request bytes,
        // the client sends 1 and waits for its answer): 400 in flight under a limit of 200. (--closer never no longer
        // runs serve out: it holds only what the limit leaves room for.)
        c.run("run", "--target", "127.0.0.1:" + m.group(1), "--request", "1", "--response", "1", "--concurrency", "400",
                "--duration", "1s", "--warmup", "0s", "--connect-timeout", "300ms", "--no-progress", "--out", tmp.resolve("client").toString());
        String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), rest);
        String last = rest.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("accepted [\\d,]+ connections?, accept failed [\\d,]+ times? \\(calls, each retried; first: accept: errno 24 .*\\); closed"), rest);
    }
}
