package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The virtual transport runs --concurrency virtual threads, each looping claim, wait, cycle (as
 * blocking does on platform threads), not a new virtual thread per cycle: a thread start and a new
 * SocketCycle per cycle doubled its user CPU per connection. Each thread claims the tickets it runs,
 * and together they run every ticket exactly once.
 */
class VirtualThreadsTest {

    private static final int CONCURRENCY = 8;
    private static final int TICKETS = 400;

    @Test
    void eightVirtualThreadsEachLoopTheirOwnCyclesAndRunEveryTicketOnce() throws Exception {
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1))) {
            ClientPlan plan = ClientPlan.of(sink.address(), SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1, Duration.ofSeconds(5));
            Counting cycles = new Counting();

            Transport.of(TransportKind.VIRTUAL, plan).run(cycles);

            assertEquals(0, cycles.failed.get(), "failures");
            assertEquals(TICKETS, cycles.completed.get(), "completed");
            // A thread per cycle would show TICKETS runners, and a dispatcher claiming for them.
            assertEquals(CONCURRENCY, cycles.runners.size(), cycles.runners.size() + " threads ran cycles");
            assertEquals(cycles.runners, cycles.claimers, "each thread claims the tickets it runs");
            for (Thread t : cycles.runners) {
                assertTrue(t.isVirtual() && t.getName().startsWith("churn-virtual-"), t.toString());
            }
            assertTrue(cycles.peak.get() <= CONCURRENCY, "in flight " + cycles.peak.get());
        }
    }

    /** A fixed number of tickets, recording which threads claim and run them. */
    private static final class Counting extends CountingCycles {
        final Set<Thread> claimers = ConcurrentHashMap.newKeySet();
        final Set<Thread> runners = ConcurrentHashMap.newKeySet();

        Counting() {
            super(CONCURRENCY, TICKETS);
        }

        @Override
        void claimed() {
            claimers.add(Thread.currentThread());
        }

        @Override
        void ended() {
            runners.add(Thread.currentThread());
        }
    }
}
