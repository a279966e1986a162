package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every event loop of a part gives up on its cycles when a stopped run's grace ends, each on its own thread. Two that
 * did at once each counted the part's cycles in flight: 4 unfinished of 2 (RunLifecycleTest, epoll, in a full build,
 * 2026-12-06). The cycles are counted once, whoever comes first.
 */
class GenerationGiveUpTest {

    @Test
    void cyclesInFlightAreCountedOnceWhenSeveralLoopsGiveUpAtOnce() throws Exception {
        int rounds = 10_000;
        CyclicBarrier together = new CyclicBarrier(2);
        AtomicInteger counted = new AtomicInteger();
        Generation[] current = new Generation[1];
        CyclicBarrier roundSet = new CyclicBarrier(2, () -> {
            Generation g = new Generation(true, System.nanoTime(), System.nanoTime() + 60_000_000_000L);
            g.start();
            g.start();
            current[0] = g;
        });
        Runnable loop = () -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    roundSet.await();
                    together.await();
                    counted.addAndGet(current[0].giveUp());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Thread a = Thread.ofPlatform().start(loop);
        Thread b = Thread.ofPlatform().start(loop);
        a.join();
        b.join();
        assertEquals(2L * rounds, counted.get(), "each round's 2 cycles in flight, counted once");
    }
}
