package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.bench.compare.ComparisonJson;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code churn compare} end to end: short real runs on loopback into a temp folder. */
class CompareCommandTest {

    @TempDir
    Path tmp;

    @Test
    void comparesTheCrossProductInterleavedAndWritesComparisonJson() throws Exception {
        Path dir = tmp.resolve("cmp");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        int code = c.run("compare", "--vary", "closer=client,server", "--repeat", "2", "--out", dir.toString(),
                "--format", "json", "--connections", "300");
        assertEquals(0, code, c.err::toString);

        JsonNode json = new ObjectMapper().readTree(c.out.toString());
        assertEquals(ComparisonJson.SCHEMA, json.get("schema").asText());
        assertEquals(dir.toString(), json.get("resultsDir").asText());
        assertEquals(json, ComparisonJson.read(dir), "stdout is comparison.json");
        assertEquals(2, json.get("rows").size());
        assertEquals("server", json.at("/rows/1/config/closer").asText());
        for (JsonNode row : json.get("rows")) {
            assertEquals(2, row.get("runs").size());
            assertEquals(2, row.at("/metrics/rate/values").size());
            assertTrue(row.at("/metrics/rate/median").asDouble() > 0);
            for (JsonNode run : row.get("runs")) {
                JsonNode s = SummaryJson.read(dir.resolve(run.asText()));
                assertEquals(300, s.at("/connections/completed").asLong());
                assertEquals(row.at("/config/closer").asText(), s.at("/scenario/closer").asText());
            }
        }
        // Client closes first: TIME_WAIT on the client's side; both are on the run's ports either way.
        assertTrue(json.at("/rows/0/metrics/timeWaitPeak/median").asDouble() > 0);

        // Interleaved: A1 B1 A2 B2, as the progress lines and the summaries' start times show.
        // one line per run; a line saying the run waits for TIME_WAIT room may come between them
        List<String> progress = c.err.toString().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(4, progress.size(), c.err::toString);
        assertTrue(progress.get(0).startsWith("[1/4] closer=client (repeat 1)"), progress::toString);
        assertTrue(progress.get(1).startsWith("[2/4] closer=server (repeat 1)"), progress::toString);
        assertTrue(progress.get(2).startsWith("[3/4] closer=client (repeat 2)"), progress::toString);
        Instant b1 = Instant.parse(SummaryJson.read(dir.resolve(json.at("/rows/1/runs/0").asText())).get("startedAt").asText());
        Instant a2 = Instant.parse(SummaryJson.read(dir.resolve(json.at("/rows/0/runs/1").asText())).get("startedAt").asText());
        assertTrue(b1.isBefore(a2), "B's first run comes before A's second");
    }

    @Test
    void tablePrintsOneRowPerConfiguration() throws Exception {
        Path dir = tmp.resolve("tbl");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        int code = c.run("compare", "--vary", "linger=off,0", "--out", dir.toString(), "--connections", "300",
                "--transport", "nio");
        assertEquals(0, code, c.err::toString);
        String table = c.out.toString();
        assertTrue(table.contains("linger=off") && table.contains("linger=0"), table);
        assertTrue(table.contains("rate/s ↑") && table.contains("TW peak ↓") && table.contains("resets ↓"), table);
        assertTrue(Files.isRegularFile(dir.resolve(ComparisonJson.FILE)));
        JsonNode cmp = ComparisonJson.read(dir);
        JsonNode abort = SummaryJson.read(dir.resolve(cmp.at("/rows/1/runs/0").asText()));
        assertEquals("nio", abort.at("/scenario/transport").asText(), "fixed options reach every run");
        assertEquals("0", abort.at("/scenario/linger").asText());
        // Linger 0 closes with a RST: each of its 300 connections sent one (others' RSTs only add).
        assertTrue(cmp.at("/rows/1/metrics/resets/median").asDouble() >= 300, cmp.at("/rows/1/metrics/resets")::toString);
        assertEquals(abort.at("/kernel/OutRsts").asDouble(), cmp.at("/rows/1/metrics/resets/median").asDouble());
        // Every column says which way is better.
        for (JsonNode m : cmp.get("metrics")) {
            assertEquals(m.get("key").asText().equals("rate") ? "higher" : "lower", m.get("better").asText(), m::toString);
        }
        assertTrue(cmp.at("/rows/1/metrics/resets").has("change"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"colour=red", "linger=", "reuse-addr=maybe", "linger"})
    void badVaryIsUsageErrorBeforeAnyRun(String vary) {
        Path dir = tmp.resolve("bad");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(2, c.run("compare", "--vary", vary, "--out", dir.toString()));
        assertEquals(1, c.err.toString().strip().lines().count(), c.err::toString);
        assertFalse(Files.exists(dir), "nothing ran");
    }

    @Test
    void badFixedOptionOrValueIsUsageErrorBeforeAnyRun() {
        Path dir = tmp.resolve("bad2");
        for (String[] args : List.of(
                new String[] {"compare", "--vary", "transport=nio,bogus", "--out", dir.toString()},
                new String[] {"compare", "--vary", "linger=off", "--connections", "0", "--out", dir.toString()},
                new String[] {"compare", "--vary", "linger=off", "--linger", "0", "--out", dir.toString()},
                new String[] {"compare", "--vary", "linger=off", "--frobnicate", "--out", dir.toString()})) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run(args), () -> String.join(" ", args) + ": " + c.err);
            assertEquals(1, c.err.toString().strip().lines().count(), c.err::toString);
        }
        assertFalse(Files.exists(dir), "nothing ran");
    }
}
