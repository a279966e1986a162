package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code churn bench} stopped part way (a signal to a real churn process, as Ctrl-C is) keeps the
 * configurations that finished: jmh.json in JMH's format, summary.txt and the table, exit 128+signal.
 */
class BenchCommandStopTest {

    @TempDir
    Path tmp;

    @Test
    void aSuiteStoppedPartWayKeepsTheConfigurationsThatFinished() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "bench", "--preset", "smoke",
                "--include", "ConnectClose", "--out", tmp.toString(), "--", "-p", "transport=blocking,nio,virtual")
                .redirectOutput(tmp.resolve("out.txt").toFile()).start();
        List<String> progress = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            // One configuration ended and the next started: stop it there. SIGTERM runs the same hook as Ctrl-C's SIGINT,
            // and unlike SIGINT a child of a background job cannot have it ignored.
            while ((line = err.readLine()) != null) {
                progress.add(line);
                if (line.startsWith("[2/")) {
                    Thread.sleep(300);
                    p.toHandle().destroy(); // SIGTERM; Process.destroy would also close the streams read here
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(143, p.exitValue(), () -> String.join("\n", progress));
        long finished = progress.stream().filter(l -> l.startsWith("        ")).count(); // a score line per finished one
        int total = Integer.parseInt(progress.stream().filter(l -> l.startsWith("[1/")).findFirst().orElseThrow()
                .replaceAll("^\\[1/(\\d+) .*", "$1"));
        assertTrue(finished >= 1 && finished < total, () -> String.join("\n", progress));

        String out = Files.readString(tmp.resolve("out.txt"));
        assertTrue(out.contains("stopped after " + finished + " of " + total + " configurations"), out);
        assertTrue(out.contains("transport=blocking"), out);
        Path dir;
        try (Stream<Path> dirs = Files.list(tmp).filter(Files::isDirectory)) {
            dir = dirs.findFirst().orElseThrow();
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("jmh.json").toFile());
        assertEquals(finished, json.size(), json::toString);
        for (JsonNode b : json) {
            assertTrue(b.at("/benchmark").asText().contains("ConnectCloseBenchmark.connectClose"), b::toString);
            assertTrue(b.at("/primaryMetric/score").asDouble() > 0, b::toString);
            assertTrue(b.at("/secondaryMetrics").has("tcp.time_wait.peak"), "the TCP state profiler's results are kept");
        }
        assertEquals("blocking", json.at("/0/params/transport").asText());
        assertTrue(Files.readString(dir.resolve("summary.txt")).contains("stopped after " + finished + " of " + total));
    }
}
