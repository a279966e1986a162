package dev.churn.bench.transport;

/** SocketChannel in blocking mode on platform threads: one thread per concurrent connection. */
final class NioTransport implements Transport {

    private final ClientPlan plan;

    NioTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        WorkerThreads.run(Thread.ofPlatform().name("churn-nio-", 0), cycles, () -> new ChannelCycle(plan)::run);
    }
}
