package dev.churn.bench.engine;

import java.util.concurrent.CountDownLatch;

/**
 * Waits that must finish even when the waiting thread is interrupted (the engine's own threads have
 * to be joined before a run returns); the interrupt is kept and set again afterwards.
 */
final class Uninterruptibly {

    private Uninterruptibly() {}

    /** Waits for the latch to open. */
    static void await(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the thread to end. */
    static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
