package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whose the TIME_WAIT a run leaves are: the side that closed first. Out of RunCommandTest, to run alone: the
 * kernel's TIME_WAIT table is its network namespace's, and two test JVMs beside each other filled it (131,072), which
 * left these runs none to count.
 */
@Tag("alone") // needs room in its network namespace's TIME_WAIT table, which other tests fill (pom.xml: surefire)
class FinalTimeWaitSidesTest {

    @TempDir
    Path tmp;

    /** Whose the final TIME_WAIT are: the side that closed first holds them, counted by the sockets' local ports. */
    @ParameterizedTest
    @ValueSource(strings = {"client", "server"})
    void theFinalTimeWaitIsSplitByWhoseItIs(String closer) throws IOException {
        Path dir = tmp.resolve("sides-" + closer);
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("run", "--closer", closer, "--connections", "200", "--warmup", "0s", "--out", dir.toString(),
                "--no-progress"), c.err::toString);
        JsonNode st = SummaryJson.read(dir).get("states");
        long last = st.at("/final/TIME_WAIT").asLong();
        assumeTrue(last > 0, "no TIME_WAIT kept (a full table): " + st);
        long server = st.at("/finalTimeWaitSides/server").asLong(-1);
        long client = st.at("/finalTimeWaitSides/client").asLong(-1);
        assertEquals(last, server + client, st::toString);
        assertEquals(closer.equals("server") ? last : 0, server, st::toString);
        assertTrue(c.out.toString().contains(String.format(Locale.ROOT, " (server %,d, client %,d)", server, client)),
                c.out::toString);
    }

    /**
     * Over TLS 1.3 the built-in sink's FIN follows its close_notify, and a client of --closer server that closed on
     * the close_notify sent its FIN first in 1.6-1.9% of connections, 15-18% with resumption, leaving TIME_WAIT on
     * its own side (2026-12-05). It waits for the sink's FIN now: every TIME_WAIT is the server's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"blocking", "virtual", "nio", "selector"})
    void overTlsTheServerThatClosesFirstKeepsEveryTimeWait(String transport) throws IOException {
        Path dir = tmp.resolve("tls-sides-" + transport);
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("run", "--tls", "1.3", "--tls-resume", "--closer", "server", "--transport", transport,
                "--connections", "300", "--warmup", "1s", "--out", dir.toString(), "--no-progress"), c.err::toString);
        JsonNode st = SummaryJson.read(dir).get("states");
        long last = st.at("/final/TIME_WAIT").asLong();
        assumeTrue(last > 0, "no TIME_WAIT kept (a full table): " + st);
        assertEquals(0, st.at("/finalTimeWaitSides/client").asLong(-1), st::toString);
        assertEquals(last, st.at("/finalTimeWaitSides/server").asLong(-1), st::toString);
    }
}
