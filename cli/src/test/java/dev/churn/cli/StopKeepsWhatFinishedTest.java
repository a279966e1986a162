package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.bench.lab.NetNamespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long commands stopped part way keep what finished. Each test runs a real churn process and
 * signals it when its progress says the first piece of work is done, as Ctrl-C would: SIGTERM runs
 * the same shutdown hooks as Ctrl-C's SIGINT, and unlike SIGINT it cannot have been ignored by a
 * test run from a background job. Exit code 128 + 15.
 */
class StopKeepsWhatFinishedTest {

    @TempDir
    Path tmp;

    /** A churn process's exit code, its standard error lines and its standard output. */
    private record Stopped(int exit, List<String> err, String out) {}

    private Stopped runAndStop(Predicate<String> stopAt, String... args) throws Exception {
        return runAndStop(stopAt, 300, args);
    }

    /** As above, {@code pauseMillis} after the line that says when (the next piece of work under way). */
    private Stopped runAndStop(Predicate<String> stopAt, long pauseMillis, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + tmp, Main.class.getName())); // JMH's lock file: not the one another test's suite holds
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).start();
        List<String> err = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                err.add(line);
                if (stopAt.test(line)) {
                    Thread.sleep(pauseMillis); // the next piece of work is under way
                    p.toHandle().destroy(); // SIGTERM; Process.destroy would also close the stream read here
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return new Stopped(p.exitValue(), err, Files.readString(out));
    }

    @Test
    void aBenchSuiteStoppedPartWayKeepsTheConfigurationsThatFinished() throws Exception {
        Stopped s = runAndStop(l -> l.startsWith("[2/"), "bench", "--preset", "smoke", "--include", "ConnectClose",
                "--out", tmp.toString(), "--", "-p", "transport=blocking,nio,virtual");
        assertEquals(143, s.exit(), () -> String.join("\n", s.err()));
        long finished = s.err().stream().filter(l -> l.startsWith("        ")).count(); // a score line per finished one
        int total = Integer.parseInt(s.err().stream().filter(l -> l.startsWith("[1/")).findFirst().orElseThrow()
                .replaceAll("^\\[1/(\\d+) .*", "$1"));
        assertTrue(finished >= 1 && finished < total, () -> String.join("\n", s.err()));

        assertTrue(s.out().contains("stopped after " + finished + " of " + total + " configurations"), s.out());
        assertTrue(s.out().contains("transport=blocking"), s.out());
        Path dir;
        try (Stream<Path> dirs = Files.list(tmp).filter(Files::isDirectory)) {
            dir = dirs.findFirst().orElseThrow();
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("jmh.json").toFile());
        assertEquals(finished, json.size(), json::toString);
        for (JsonNode b : json) {
            assertTrue(b.at("/benchmark").asText().contains("ConnectCloseBenchmark.connectClose"), b::toString);
            assertTrue(b.at("/primaryMetric/score").asDouble() > 0, b::toString);
            // tcp.samples, which it always gives: a state it saw none of (TIME_WAIT, a full table) it leaves out.
            assertTrue(b.at("/secondaryMetrics").has("tcp.samples"), "the TCP state profiler's results are kept");
        }
        assertEquals("blocking", json.at("/0/params/transport").asText());
        assertTrue(Files.readString(dir.resolve("summary.txt")).contains("stopped after " + finished + " of " + total));
    }

    /** The --html page too: the scenarios that finished, and a line saying the walk stopped (it wrote no page). */
    @Test
    void aStatesWalkStoppedPartWayWritesThePageOfTheScenariosThatFinished() throws Exception {
        Path page = tmp.resolve("states.html");
        int[] walking = {0};
        // At once when the second scenario starts (the first has finished): the whole walk takes about a second.
        Stopped s = runAndStop(l -> l.startsWith("walking: ") && ++walking[0] == 2, 0, "lab", "states", "--html",
                page.toString());
        assertEquals(143, s.exit(), () -> String.join("\n", s.err()) + s.out());
        assertTrue(s.out().contains("; wrote " + page + " with them"), s.out());
        String html = Files.readString(page);
        assertTrue(html.contains("data-stopped=\"true\""), html);
        int diagrams = Integer.parseInt(html.replaceAll("(?s).*data-diagrams=\"(\\d+)\".*", "$1"));
        assertTrue(diagrams >= 1 && diagrams < 7, "diagrams: " + diagrams);
        assertTrue(s.out().contains("stopped after " + diagrams + " of 7 scenarios"), s.out());
    }

    @Test
    void aPortExhaustionLabStoppedPartWayShowsTheRunsThatFinished() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        Stopped s = runAndStop(l -> l.equals("running 2 of 6: tcp_tw_reuse=1"), "lab", "exhaust");
        assertEquals(143, s.exit(), () -> String.join("\n", s.err()) + s.out());
        List<String> lines = s.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("none (baseline)")), s.out());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("tcp_tw_reuse=1")), "the run in progress is not shown: " + s.out());
        assertTrue(s.out().contains("stopped after 1 of 6 runs"), s.out());
        // Said before the first run: how many, and about how long (the default's 160 cycles at 80/s: 2 s each).
        assertEquals("lab exhaust: 6 runs of 160 cycles at 80/s, about 2.0 s each (12 s in all)", s.err().getFirst(),
                () -> String.join("\n", s.err()));
        // The baseline ran out of ports, as it does whole: what is shown is a finished measurement.
        String baseline = lines.stream().filter(l -> l.startsWith("none (baseline)")).findFirst().orElseThrow();
        assertTrue(Long.parseLong(baseline.trim().split("\\s+")[3]) > 0, baseline);
    }
}
