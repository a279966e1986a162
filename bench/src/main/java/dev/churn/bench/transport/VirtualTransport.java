package dev.churn.bench.transport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Blocking sockets on virtual threads, a new thread per cycle. One dispatcher claims tickets, waits
 * for their start and hands each to a virtual thread; a semaphore bounds how many run at once.
 */
final class VirtualTransport implements Transport {

    /** How often a dispatcher waiting for a free permit looks whether the run is stopping. */
    private static final long POLL_MILLIS = 10;

    private final ClientPlan plan;

    VirtualTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        // The dispatcher is a virtual thread too: handing a permit back and forth between virtual
        // threads stays on the carriers instead of waking a parked platform thread per cycle.
        Thread dispatcher = Thread.ofVirtual().name("churn-virtual-dispatch").start(() -> dispatch(cycles));
        dispatcher.join();
    }

    private void dispatch(Cycles cycles) {
        Semaphore permits = new Semaphore(cycles.concurrency());
        // close() waits for every submitted cycle: no virtual thread outlives run().
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("churn-virtual-", 0).factory())) {
            while (acquire(permits, cycles)) {
                Ticket t = cycles.next();
                if (t == null || !cycles.awaitStart(t)) {
                    permits.release();
                    return;
                }
                threads.execute(() -> {
                    try {
                        new SocketCycle(plan).run(cycles, t);
                    } finally {
                        permits.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            // Only the engine interrupts, to end the run; in-flight cycles still finish in close().
            Thread.currentThread().interrupt();
        }
    }

    private static boolean acquire(Semaphore permits, Cycles cycles) throws InterruptedException {
        while (!permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (cycles.stopping()) {
                return false;
            }
        }
        return true;
    }
}
