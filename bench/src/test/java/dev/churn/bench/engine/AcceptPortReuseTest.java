package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real sockets, the case that lost about one ACCEPT sample per 20,000 connections: clients that
 * abort (SO_LINGER 0) free their port at once, and a connect() preempted inside its port search
 * takes a port a later connect() has just used and freed, before the sink accepted that one. Runs
 * are repeated until the pairing met that case a few times (bounded in runs and time); in every
 * run the ACCEPT phase counts each connection once.
 */
class AcceptPortReuseTest {

    private static final int CONNECTIONS = 3_000;
    private static final int MAX_RUNS = 40;
    private static final long MAX_NANOS = 12_000_000_000L;
    private static final long ENOUGH_REUSES = 5;

    @Test
    void abortingClientsOnReusedPortsGetOneAcceptSampleEach() throws IOException {
        long start = System.nanoTime();
        long reuses = 0;
        int runs = 0;
        while (runs < MAX_RUNS && reuses < ENOUGH_REUSES && System.nanoTime() - start < MAX_NANOS) {
            int concurrency = runs % 2 == 0 ? 4 : 8;
            RunResult r = new ChurnEngine(Specs.count(TransportKind.RAW, Closer.ABORT, concurrency, CONNECTIONS))
                    .run(RunListener.NONE);
            runs++;
            assertEquals(Map.of(), r.failures(), "failures");
            assertEquals(CONNECTIONS, r.phases().get(Phase.CYCLE).getTotalCount(), "cycle");
            AcceptPairing p = r.acceptPairing();
            assertNotNull(p, "a run against the built-in sink reports its ACCEPT pairing");
            assertEquals(CONNECTIONS, r.phases().get(Phase.ACCEPT).getTotalCount(),
                    "accept in run " + runs + " (concurrency " + concurrency + "): " + p);
            assertTrue(p.complete(), p::toString);
            reuses += p.reusedBeforeAccept();
        }
        // The kernel decides how often a port comes back early; say how often this run met it.
        System.out.printf("AcceptPortReuseTest: %d runs of %,d connections, %d ports reused before their accept%n",
                runs, CONNECTIONS, reuses);
    }
}
