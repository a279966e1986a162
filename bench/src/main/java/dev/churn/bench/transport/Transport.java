package dev.churn.bench.transport;

import dev.churn.bench.config.TransportKind;

/**
 * A way of running connection cycles: {@link #run} drives cycles from a {@link Cycles} until it
 * says stop, at most {@link Cycles#concurrency()} at once, and returns when every thread it started
 * has ended. Make one with {@link #of}.
 */
public interface Transport {

    /** Runs cycles until {@code cycles.next()} returns null and the in-flight ones are done. */
    void run(Cycles cycles) throws InterruptedException;

    /** The transport of this kind for this client plan; {@code selector} and {@code epoll} on one event loop. */
    static Transport of(TransportKind kind, ClientPlan plan) {
        return of(kind, plan, 1);
    }

    /**
     * The transport of this kind for this client plan; {@code loops} is the number of event loops
     * of {@code selector} and {@code epoll} (at most {@link Cycles#concurrency()}) and means nothing to the others.
     */
    static Transport of(TransportKind kind, ClientPlan plan, int loops) {
        return switch (kind) {
            case BLOCKING -> new BlockingTransport(plan);
            case NIO -> new NioTransport(plan);
            case VIRTUAL -> new VirtualTransport(plan);
            case SELECTOR -> new SelectorTransport(plan, loops);
            case RAW -> new RawTransport(plan);
            case EPOLL -> new EpollTransport(plan, loops);
        };
    }
}
