package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
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
