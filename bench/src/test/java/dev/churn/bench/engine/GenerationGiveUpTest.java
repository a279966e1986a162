package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every event loop of a part gives up on its cycles when a stopped run's grace ends, each on its own thread. Two that
 * did at once each counted the part's cycles in flight: 4 unfinished of 2 (RunLifecycleTest, epoll, in a full build,
 * 2026-12-06). The cycles are counted once, whoever comes first.
 */
class GenerationGiveUpTest {

    @Test
    void cyclesInFlightAreCountedOnceWhenSeveralLoopsGiveUpAtOnce() throws Exception {
        int rounds = 5_000;
        // Round i's part sits in slot i % 2, made by thread 0 before it arrives: it can be a round ahead, never two,
        // so the slot the other thread reads is never refilled under it (and a part holds its histograms: 50,000 of
        // them at once did not fit the test's heap).
        Generation[] parts = new Generation[2];
        // A spinning barrier, not a parking one: both threads leave it within nanoseconds of each other, as two event
        // loops whose grace ended together do, and a round costs little more than making its part. With CyclicBarrier,
        // 10,000 rounds took 5-10 s and the old code failed 1 run in 2. 5,000 rounds of this, on the old code beside
        // other load (load average 13-18), found 14-80 double counts in 3 runs of 3 before the yield below, and in 1 of
        // 2 with it; a quiet machine spins, and yields little.
        // On a machine busy with other forks, each round can wait out a scheduler slice: 5,000 rounds took 19.5 s in
        // a full build. The rounds stop after 3 s, which the maker decides and says by making no part: a quiet
        // machine still runs all 5,000 (well under a second), and a busy one is where the race showed.
        long until = System.nanoTime() + 3_000_000_000L;
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger counted = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        IntFunction<Runnable> loop = maker -> () -> {
            for (int i = 0; i < rounds; i++) {
                if (maker == 0) {
                    Generation g = null;
                    if (System.nanoTime() - until < 0) {
                        g = new Generation(true, System.nanoTime(), System.nanoTime() + 60_000_000_000L);
                        g.start();
                        g.start();
                        ran.incrementAndGet();
                    }
                    parts[i % 2] = g; // published to the other thread by the increment below
                }
                arrived.incrementAndGet();
                for (int spins = 0; arrived.get() < 2 * (i + 1); spins++) {
                    if (spins < 10_000) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield(); // the other thread is off its CPU (a busy machine): let it run
                    }
                }
                Generation part = parts[i % 2];
                if (part == null) {
                    return; // the time is up: both threads see it in the same round
                }
                counted.addAndGet(part.giveUp());
            }
        };
        Thread a = Thread.ofPlatform().start(loop.apply(0));
        Thread b = Thread.ofPlatform().start(loop.apply(1));
        a.join();
        b.join();
        assertTrue(ran.get() >= 100, ran + " rounds");
        assertEquals(2L * ran.get(), counted.get(), "each round's 2 cycles in flight, counted once");
    }
}
