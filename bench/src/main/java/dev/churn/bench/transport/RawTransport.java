package dev.churn.bench.transport;

/**
 * Raw descriptors through FFM on platform threads: one thread per concurrent connection, each
 * looping cycles, as {@code blocking} does with java.net.Socket. The difference between the two is
 * what the JDK's socket layer costs. Timeouts are kept by a {@link SocketWatchdog}, as
 * {@code blocking}'s are, not by a setsockopt per socket.
 */
final class RawTransport implements Transport {

    private final ClientPlan plan;

    RawTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        try (SocketWatchdog watchdog = new SocketWatchdog(plan.connectTimeout())) {
            WorkerThreads.run(Thread.ofPlatform().name("churn-raw-", 0), cycles,
                    () -> new RawCycle(plan, watchdog.descriptorSlot())::run, plan);
        }
    }
}
