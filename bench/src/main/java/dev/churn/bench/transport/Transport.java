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

    /** The transport of this kind for this client plan. */
    static Transport of(TransportKind kind, ClientPlan plan) {
        return switch (kind) {
            case BLOCKING -> new BlockingTransport(plan);
            case NIO -> new NioTransport(plan);
            case VIRTUAL -> new VirtualTransport(plan);
            case SELECTOR -> new SelectorTransport(plan);
            case RAW -> new RawTransport(plan);
        };
    }
}
