package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A run that ended in its warm-up counts its span (measuredNanos) and its failures' first occurrences from the warm-up's
 * start, which comes after the run's start by what its listeners' start took (the state sampler's first, cold sample:
 * 50-90 ms in the CLI). Its measuredFrom said the run's start, so measuredFrom + firstAtMs fell before the first
 * connection was made, and the span ended that much before the run did (review, 2026-12-07).
 */
class WarmupEndedSpanTest {

    private static final long LISTENERS_START_MILLIS = 300;

    @Test
    void theSpanOfARunThatEndedInItsWarmupStartsWhereItsWarmupDid() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        RunSpec spec = Specs.withWarmup(Specs.withTarget(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 1, 100_000),
                closed, 20), Duration.ofSeconds(30));
        RunListener slowToStart = new RunListener() {
            @Override
            public void started(RunInfo info) {
                try {
                    Thread.sleep(LISTENERS_START_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RunResult r = new ChurnEngine(spec).run(slowToStart);
        assertTrue(r.endedInWarmup(), r.endReason().toString());
        Failures.Stat refused = r.failures().get(FailureKind.ECONNREFUSED);
        assertNotNull(refused, r.failures().toString());
        // No connection was made before the listeners had started: the first failure came after them.
        long firstFailure = r.measuredStartEpochMillis() + refused.firstAtMillis();
        assertTrue(firstFailure >= r.info().startEpochMillis() + LISTENERS_START_MILLIS, () -> "first failure "
                + (firstFailure - r.info().startEpochMillis()) + " ms after the run's start");
        assertEquals(0, r.completed());
    }
}
