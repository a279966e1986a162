package dev.churn.bench.transport;

import dev.churn.bench.config.PortRange;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out the ports of a range round-robin, thread-safe: the local port each client binds. */
public final class PortCursor {

    private final PortRange range;
    private final AtomicLong next = new AtomicLong();

    public PortCursor(PortRange range) {
        this.range = range;
    }

    /** The next port of the range, wrapping around at its end. */
    public int next() {
        return range.from() + (int) Math.floorMod(next.getAndIncrement(), (long) range.size());
    }
}
