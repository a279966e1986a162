package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@code compare --runs} names what a run was, from its summary.json: as the options a user
 * types, so a row reads {@code concurrency=4 tls=1.3}. A fixture summary (a parser's test); the
 * comparisons themselves are tested on real runs in the CLI's CompareRunsTest.
 */
class FinishedRunsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode summary(String scenario) throws Exception {
        return JSON.readTree("""
                {"schema": "churn.run/1", "label": "x", "startedAt": "2026-12-03T17:24:05.123Z",
                 "scenario": %s,
                 "environment": {"hostname": "vm1", "kernelRelease": "6.18.44", "jdkVersion": "25.0.3", "cpus": 2,
                   "churn": {"version": "0.1.0-SNAPSHOT", "commit": "abc1234", "dirty": true},
                   "sysctls": {"net.ipv4.tcp_tw_reuse": "2"}}}
                """.formatted(scenario));
    }

    @Test
    void aRunIsDescribedByTheOptionsThatMadeIt() throws Exception {
        Map<String, String> d = FinishedRuns.descriptor(summary("""
                {"transport": "blocking", "threads": null, "closer": "client", "linger": "off", "reuseAddr": false,
                 "rcvBuf": 0, "load": {"type": "closed", "concurrency": 4}, "requestBytes": 1, "responseBytes": 100,
                 "target": "127.0.0.1:41234", "builtInSink": true,
                 "tls": {"version": "1.3", "resume": true, "groups": ["x25519", "secp256r1"], "ciphers": [],
                         "provider": "jdk", "sinkKey": "ec"},
                 "http": "/"}
                """));
        assertEquals("blocking", d.get("transport"));
        assertEquals("-", d.get("threads"), "null reads as '-'");
        assertEquals("false", d.get("reuse-addr"));
        assertEquals("0", d.get("rcvbuf"));
        assertEquals("closed", d.get("load"), "the load's type is the load");
        assertEquals("4", d.get("concurrency"), "load's fields read as the options they came from");
        assertEquals("1", d.get("request"));
        assertEquals("100", d.get("response"));
        assertEquals("built-in sink", d.get("target"), "the built-in sink's port differs from run to run");
        assertFalse(d.containsKey("built-in-sink"));
        assertEquals("1.3", d.get("tls"));
        assertEquals("true", d.get("tls-resume"));
        assertEquals("x25519,secp256r1", d.get("tls-groups"));
        assertEquals("-", d.get("tls-ciphers"), "an empty list reads as '-'");
        assertEquals("ec", d.get("tls-key"), "as --vary and the option name it: --tls-key");
        assertFalse(d.containsKey("tls-sink-key"));
        assertEquals("/", d.get("http"));
        assertEquals("abc1234+dirty", d.get("commit"));
        assertEquals("vm1", d.get("host"));
        assertEquals("2", d.get("net.ipv4.tcp_tw_reuse"));
        assertEquals("2026-12-03", d.get("date"));
    }

    /** An open loop's rate reads as typed, rate=300 as compare --vary names it, not 300.0; a fraction keeps its digits. */
    @Test
    void aWholeRateReadsAsTyped() throws Exception {
        assertEquals("300", FinishedRuns.descriptor(summary("{\"load\": {\"type\": \"open\", \"rate\": 300.0}}")).get("rate"));
        assertEquals("0.5", FinishedRuns.descriptor(summary("{\"load\": {\"type\": \"open\", \"rate\": 0.5}}")).get("rate"));
    }

    /** A run cut short says so in its row: its options alone read as a whole run's (duration=20s for 4 s). */
    @Test
    void aStoppedRunSaysItWasStoppedAndWhen() throws Exception {
        ObjectNode s = (ObjectNode) summary("{\"transport\": \"blocking\", \"duration\": \"20s\"}");
        assertFalse(FinishedRuns.descriptor(s).containsKey("ended"), "a run that ended by its own measure");
        s.put("endReason", "STOPPED").put("durationSeconds", 4.213);
        assertEquals("stopped after 4.2s", FinishedRuns.descriptor(s).get("ended"));
        s.put("endReason", "TOO_MANY_FAILURES");
        assertEquals("max-failures after 4.2s", FinishedRuns.descriptor(s).get("ended"));
    }

    @Test
    void aTargetIsKeptAndAnOlderRunWithoutABuildSaysNothingOfOne() throws Exception {
        JsonNode s = summary("{\"transport\": \"raw\", \"target\": \"127.0.0.1:9000\", \"builtInSink\": false}");
        ((ObjectNode) s.path("environment")).remove("churn");
        Map<String, String> d = FinishedRuns.descriptor(s);
        assertEquals("127.0.0.1:9000", d.get("target"));
        assertFalse(d.containsKey("commit"), "no build recorded: no commit to compare");
    }

    @Test
    void optionNamesAreTheCommandLinesOwn() {
        assertEquals("reuse-port", FinishedRuns.optionName("reusePort"));
        assertEquals("no-delay", FinishedRuns.optionName("noDelay"));
        assertEquals("sndbuf", FinishedRuns.optionName("sndBuf"));
        assertEquals("bind-ports", FinishedRuns.optionName("bindPorts"));
        assertEquals("connect-timeout", FinishedRuns.optionName("connectTimeout"));
        assertEquals("request", FinishedRuns.optionName("requestBytes"));
    }

    /** Rows no option tells apart are named by as much of their folders' paths as tells them apart. */
    @Test
    void rowsOfFoldersOfOneNameAreToldApartByTheirParents() {
        assertEquals(List.of("before/r1", "after/r1"), FinishedRuns.folderNames(List.of(
                List.of(Path.of("/tmp/gate/before/r1")), List.of(Path.of("/tmp/gate/after/r1")))));
        assertEquals(List.of("r1", "r2"), FinishedRuns.folderNames(List.of(
                List.of(Path.of("/tmp/gate/before/r1")), List.of(Path.of("/tmp/gate/before/r2")))));
        // A group of a folder's runs is named by that folder.
        assertEquals(List.of("x/a", "y/a"), FinishedRuns.folderNames(List.of(
                List.of(Path.of("/tmp/x/a/r1"), Path.of("/tmp/x/a/r2")), List.of(Path.of("/tmp/y/a/r1"), Path.of("/tmp/y/a/r2")))));
        // Groups of one folder's runs (compare --help's --runs results/a1,results/a2,...): by their runs' own names. Both
        // rows were "run=tmp/.../results" (QA, 2026-12-06).
        assertEquals(List.of("a1+a2+a3", "b1+b2+b3"), FinishedRuns.folderNames(List.of(
                List.of(Path.of("/r/results/a1"), Path.of("/r/results/a2"), Path.of("/r/results/a3")),
                List.of(Path.of("/r/results/b1"), Path.of("/r/results/b2"), Path.of("/r/results/b3")))));
        assertEquals(List.of("a1+...+a5", "b1+...+b5"), FinishedRuns.folderNames(List.of(
                List.of(Path.of("/r/a1"), Path.of("/r/a2"), Path.of("/r/a3"), Path.of("/r/a4"), Path.of("/r/a5")),
                List.of(Path.of("/r/b1"), Path.of("/r/b2"), Path.of("/r/b3"), Path.of("/r/b4"), Path.of("/r/b5")))));
    }
}
