package dev.churn.bench.transport;

import java.util.function.Supplier;

/**
 * Runs {@link Cycles#concurrency()} threads (platform or virtual, as the builder makes them), each
 * looping claim, wait, cycle; joins them all.
 */
final class WorkerThreads {

    /** What one worker thread does with each ticket it claims. */
    interface Body {
        void run(Cycles cycles, Ticket t);
    }

    private WorkerThreads() {}

    /**
     * Starts the workers from {@code threads} (named with a counter, e.g. {@code name("churn-blocking-", 0)}),
     * each with its own body from {@code bodies}, and returns when all have ended.
     */
    static void run(Thread.Builder threads, Cycles cycles, Supplier<Body> bodies) throws InterruptedException {
        Thread[] workers = new Thread[cycles.concurrency()];
        for (int i = 0; i < workers.length; i++) {
            Body body = bodies.get();
            workers[i] = threads.start(() -> loop(cycles, body));
        }
        for (Thread t : workers) {
            // Workers end by themselves once next() says stop; every cycle step has a timeout.
            t.join();
        }
    }

    private static void loop(Cycles cycles, Body body) {
        for (Ticket t = cycles.next(); t != null; t = cycles.next()) {
            if (!cycles.awaitStart(t)) {
                return;
            }
            body.run(cycles, t);
        }
    }
}
