package dev.churn.bench.transport;

/**
 * Blocking sockets on virtual threads: {@link Cycles#concurrency()} virtual threads, each looping
 * claim, wait, cycle with a {@link SocketCycle} of its own, as {@code blocking} does on platform
 * threads. Starting a virtual thread and a new SocketCycle (request and read buffers) per cycle,
 * behind one dispatcher and a semaphore, cost twice the carriers' user CPU per connection (55 µs
 * against 27 µs at 64 flows, issue 13); the JDK's part (park and unpark on the poller, a timed park
 * for the connect and read timeouts) is the same either way.
 */
final class VirtualTransport implements Transport {

    private final ClientPlan plan;

    VirtualTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        // The connect is timed by the JDK (no ConnectWatchdog): on a virtual thread the socket is
        // non-blocking anyway, so the timeout costs no extra system call, only a timed park.
        WorkerThreads.run(Thread.ofVirtual().name("churn-virtual-", 0), cycles, () -> new SocketCycle(plan)::run);
    }
}
