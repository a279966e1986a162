package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The event-loop transports (selector, epoll) on several loops, against a real sink: each loop runs
 * on its own thread, never has more than its share of the concurrency in flight, and together they
 * run every ticket exactly once.
 */
class SelectorLoopsTest {

    private static final int TICKETS = 600;

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"SELECTOR", "EPOLL"})
    void threeLoopsShareSixtyFourConnectionsAndRunEveryTicketOnce(TransportKind kind) throws Exception {
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1))) {
            ClientPlan plan = ClientPlan.of(sink.address(), SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1, Duration.ofSeconds(5));
            Counting cycles = new Counting(64, TICKETS);

            Transport.of(kind, plan, 3).run(cycles);

            assertEquals(0, cycles.failed.get(), "failures");
            assertEquals(TICKETS, cycles.completed.get(), "completed");
            assertEquals(TICKETS, cycles.claimed.get(), "claimed");
            assertEquals(3, cycles.peakByThread.size(), "threads that ran cycles: " + cycles.peakByThread.keySet());
            // 64 over 3 loops: 22, 21, 21; a loop never runs more than its share.
            for (Map.Entry<String, AtomicInteger> e : cycles.peakByThread.entrySet()) {
                assertTrue(e.getKey().startsWith("churn-" + kind.label() + "-"), e.getKey());
                assertTrue(e.getValue().get() <= 22, e.getKey() + " had " + e.getValue().get() + " in flight");
            }
            assertTrue(cycles.peak.get() <= 64, "in flight " + cycles.peak.get());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"SELECTOR", "EPOLL"})
    void noLoopIsRefused(TransportKind kind) {
        ClientPlan plan = ClientPlan.of(new java.net.InetSocketAddress("127.0.0.1", 9), SocketConfig.DEFAULTS,
                Closer.CLIENT, 0, 0, Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, () -> Transport.of(kind, plan, 0));
    }

    /** A fixed number of tickets, counting what each loop thread has in flight. */
    private static final class Counting extends CountingCycles {
        final Map<String, AtomicInteger> nowByThread = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> peakByThread = new ConcurrentHashMap<>();

        Counting(int concurrency, long tickets) {
            super(concurrency, tickets);
        }

        @Override
        void starting() {
            String me = Thread.currentThread().getName();
            int mine = nowByThread.computeIfAbsent(me, k -> new AtomicInteger()).incrementAndGet();
            peakByThread.computeIfAbsent(me, k -> new AtomicInteger()).accumulateAndGet(mine, Math::max);
        }

        @Override
        void ended() {
            nowByThread.get(Thread.currentThread().getName()).decrementAndGet();
        }
    }
}
