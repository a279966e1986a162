package dev.churn.bench.transport;

/**
 * SocketChannel in blocking mode on platform threads: one thread per concurrent connection. Connect
 * and reads are timed through the channel's socket adaptor; writes, which nothing in the JDK times,
 * by a {@link SocketWatchdog}.
 */
final class NioTransport implements Transport {

    private final ClientPlan plan;

    NioTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        // No request, nothing to watch: no watchdog thread waking ten times a second.
        try (SocketWatchdog watchdog = plan.writesRequest() ? new SocketWatchdog(plan.connectTimeout()) : null) {
            WorkerThreads.run(Thread.ofPlatform().name("churn-nio-", 0), cycles,
                    () -> new ChannelCycle(plan, watchdog == null ? null : watchdog.slot())::run, plan);
        }
    }
}
