package dev.churn.bench.config;

/**
 * How many event loops to run when the user does not say: one per processor this JVM may use, so
 * the client's {@code selector} transport and the sink's serving loops each keep every core busy,
 * as neper's {@code -T} threads do, but never more than there is work for.
 */
public final class EventLoops {

    private EventLoops() {}

    /** One loop per available processor, at least 1 and at most {@code most}. */
    public static int perProcessor(int most) {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), most));
    }
}
