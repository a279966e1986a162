package dev.churn.bench.transport;

/**
 * Blocking sockets on virtual threads: {@link Cycles#concurrency()} virtual threads, each looping
 * claim, wait, cycle with a {@link SocketCycle} of its own, as {@code blocking} does on platform
 * threads. A new virtual thread and a new SocketCycle (request and read buffers) per cycle, handed
 * out by one dispatcher behind a semaphore, cost the carriers twice the user CPU per connection
 * (about 50 against 27 µs at 64 flows, issue 13). What remains above the {@code selector} is the
 * JDK's: carriers parking and being woken (futex, two context switches per connection) around the
 * poller's unparks.
 */
final class VirtualTransport implements Transport {

    private final ClientPlan plan;

    VirtualTransport(ClientPlan plan) {
        this.plan = plan;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        // The JDK times the connect and reads: on a virtual thread the socket is non-blocking anyway,
        // and the timed park costs nothing measurable (no timeouts at all: the same CPU per
        // connection). It has no write timeout, so a watchdog keeps that one, if there is a request.
        try (SocketWatchdog watchdog = plan.writesRequest() ? new SocketWatchdog(plan.connectTimeout()) : null) {
            WorkerThreads.run(Thread.ofVirtual().name("churn-virtual-", 0), cycles,
                    () -> SocketCycle.jdkTimed(plan, watchdog == null ? null : watchdog.slot())::run, plan);
        }
    }
}
