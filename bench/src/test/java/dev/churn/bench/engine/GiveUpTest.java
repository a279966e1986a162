package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.transport.Cycles;
import dev.churn.bench.transport.Ticket;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Cycles a run gives up on (still in flight long past every timeout of their steps) are failures
 * of their own kind, and what they report after is dropped: the results read next agree with
 * themselves, attempted = completed + failed.
 */
class GiveUpTest {

    @Test
    void cyclesGivenUpOnAreUnfinishedFailuresAndTheirLateOutcomesAreDropped() {
        RunControl c = new RunControl(Specs.count(TransportKind.VIRTUAL, Closer.CLIENT, 3, 3), System.nanoTime());
        c.begin(System.nanoTime());
        Cycles m = c.measuredCycles();
        Ticket a = m.next();
        Ticket b = m.next();
        Ticket d = m.next();
        assertTrue(m.awaitStart(a) && m.awaitStart(b) && m.awaitStart(d));
        long now = System.nanoTime();
        m.completed(a, 20_000, -1, 8_000, now);

        m.giveUp(2, 31_000_000_000L);
        m.completed(b, 20_000, -1, 8_000, System.nanoTime());
        m.failed(d, new IOException("Connection reset"));

        Generation g = c.generation();
        assertEquals(3, g.attempted.get());
        assertEquals(1, g.completed.sum());
        assertEquals(2, g.failed.get());
        Failures.Stat unfinished = g.failures.snapshot().get(FailureKind.UNFINISHED);
        assertEquals(2, unfinished.count(), g.failures.snapshot()::toString);
        assertTrue(unfinished.firstMessage().startsWith("UnfinishedCycleException: still in flight 31 s after the run "
                + "stopped starting cycles"), unfinished.firstMessage());
        assertEquals(1, g.failures.snapshot().size(), "the late reset is not counted: " + g.failures.snapshot());
        assertEquals(0, c.inFlight());
    }
}
