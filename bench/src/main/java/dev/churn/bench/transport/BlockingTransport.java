package dev.churn.bench.transport;

/**
 * java.net.Socket on platform threads: one thread per concurrent connection, each looping cycles.
 * Connects and reads are untimed system calls, their timeouts kept by a {@link SocketWatchdog}.
 */
final class BlockingTransport implements Transport {

    private final ClientPlan plan;

    BlockingTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        try (SocketWatchdog watchdog = new SocketWatchdog(plan.connectTimeout())) {
            WorkerThreads.run(Thread.ofPlatform().name("churn-blocking-", 0), cycles,
                    () -> new SocketCycle(plan, watchdog.slot())::run, plan);
        }
    }
}
