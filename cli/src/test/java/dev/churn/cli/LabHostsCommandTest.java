package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.result.RunMerger;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code churn lab hosts} for real: namespaces, a bridge, one JVM per host (root only; CI runs as
 * root). Each case checks that every namespace this JVM made is gone afterwards.
 */
class LabHostsCommandTest {

    @TempDir
    Path tmp;

    @Test
    void twoClientHostsMergeToTheSumOfTheirRuns() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        Path out = tmp.resolve("lab");
        RunCommandTest.Cli c = new RunCommandTest.Cli();

        int code = c.run("lab", "hosts", "--clients", "2", "--connections", "300", "--out", out.toString());

        assertEquals(0, code, () -> c.err + "\n" + c.out);
        JsonNode merged = SummaryJson.read(out.resolve("merged"));
        List<JsonNode> hosts = List.of(SummaryJson.read(out.resolve("client-1")), SummaryJson.read(out.resolve("client-2")));
        assertEquals(600, merged.at("/connections/completed").asLong(), merged::toString);
        assertEquals(0, merged.at("/connections/failed").asLong(), merged::toString);
        assertTrue(merged.path("phases").size() >= 3, merged::toString);
        for (Map.Entry<String, JsonNode> phase : merged.path("phases").properties()) {
            long sum = hosts.stream().mapToLong(h -> h.at("/phases/" + phase.getKey() + "/count").asLong()).sum();
            assertEquals(sum, phase.getValue().path("count").asLong(), phase.getKey());
        }
        for (int i = 0; i < 2; i++) {
            String host = LabHostsCommand.host(i);
            assertEquals(300, hosts.get(i).at("/connections/completed").asLong());
            // Each client really was its own host: it connected to the server's address, not to loopback.
            assertTrue(hosts.get(i).at("/scenario/target").asText().endsWith(":" + LabHostsCommand.PORT), hosts.get(i)::toString);
            assertTrue(Files.size(out.resolve(host).resolve("states.csv")) > 0, host);
            assertTrue(Files.isRegularFile(out.resolve("merged").resolve(RunMerger.statesFile(host))), host);
        }
        String table = c.out.toString();
        assertTrue(table.contains("accepted 600 connections") || table.contains(":24900 stopped"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("merged") && l.contains(" 600 ")), table);
        assertEquals(List.of(), ours());
    }

    @Test
    void aFailingClientFailsTheLabWithOneLineAndStillRemovesTheNamespaces() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        LabHostsCommand hosts = c.cl.getSubcommands().get("lab").getSubcommands().get("hosts").getCommand();
        hosts.firstClientExtraArgs = List.of("--rate", "nope");

        int code = c.run("lab", "hosts", "--clients", "2", "--connections", "50", "--out", tmp.resolve("bad").toString());

        assertEquals(1, code, () -> c.err + "\n" + c.out);
        String err = c.err.toString().strip();
        String last = err.lines().toList().getLast();
        assertTrue(last.startsWith("churn lab hosts: client-1 exited 2") && last.contains("--rate"), err);
        assertEquals(List.of(), ours());
    }

    /**
     * Issue 11 item 10: Ctrl-C tore the network down before the clients stopped (2,219 "Network is
     * unreachable" failures, a client without summary.json). The lab runs as a real process and gets
     * SIGINT mid-run, as a terminal's Ctrl-C gives it (or SIGTERM, as kill and service managers
     * do): every client must end with complete results and no failure, the runs are still merged,
     * and no namespace of that process is left.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalMidRunStopsTheClientsBeforeTheNetworkGoes(String signal) throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        Path out = tmp.resolve("stopped");
        Path console = tmp.resolve("console.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process lab = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "lab", "hosts", "--clients", "2", "--duration", "60s", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!(measuring(out.resolve("client-1")) && measuring(out.resolve("client-2")))
                    && lab.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(lab.isAlive(), () -> "the lab ended before the signal: " + read(console));
            assertTrue(measuring(out.resolve("client-1")) && measuring(out.resolve("client-2")),
                    () -> "the clients never started measuring: " + read(console));
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(lab.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(lab.waitFor(90, TimeUnit.SECONDS), () -> "the lab did not end after SIG" + signal + ": " + read(console));
        } finally {
            lab.destroyForcibly();
        }
        for (int i = 0; i < 2; i++) {
            String host = LabHostsCommand.host(i);
            JsonNode s = SummaryJson.read(out.resolve(host));
            assertEquals("STOPPED", s.path("endReason").asText(), () -> host + ": " + s);
            assertTrue(s.at("/connections/completed").asLong() > 0, () -> host + ": " + s);
            assertEquals(0, s.at("/connections/failed").asLong(), () -> host + " failed: " + s.path("failures"));
            assertFalse(s.path("failures").toString().toLowerCase(Locale.ROOT).contains("unreachable"), host);
        }
        assertTrue(Files.isRegularFile(out.resolve("merged").resolve("summary.json")), () -> read(console));
        String labPrefix = NetNamespace.PREFIX + lab.pid() + "-";
        assertEquals(List.of(), NetNamespace.existing().stream().filter(n -> n.startsWith(labPrefix)).toList(),
                () -> "namespaces left: " + read(console));
    }

    /** True once the run in this folder has logged an interval of measured cycles. */
    private static boolean measuring(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> read(f).contains("Tag=cycle"));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void clientsOutOfRangeIsOneLineAndExitTwo() {
        for (String n : List.of("0", "9")) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run("lab", "hosts", "--clients", n), c.err::toString);
            assertEquals(1, c.err.toString().lines().count(), c.err::toString);
            assertTrue(c.err.toString().contains("--clients must be 1..8"), c.err::toString);
        }
    }

    // Other processes may run labs at the same time: only this JVM's namespaces count.
    private static List<String> ours() throws IOException {
        return NetNamespace.existing().stream().filter(n -> n.startsWith(NetNamespace.PREFIX + ProcessHandle.current().pid() + "-"))
                .toList();
    }
}
