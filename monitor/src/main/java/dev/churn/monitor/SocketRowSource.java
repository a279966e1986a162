package dev.churn.monitor;

import java.io.IOException;

/** A source that can also list its sockets one by one, for grouping (netlink and proc). */
public interface SocketRowSource extends StateSource {

    /**
     * Hands every socket that passes the filter to {@code v} and returns their counts, as
     * {@link #count} would; slower than a count, which stays a pure tally.
     */
    StateCounts visit(SocketFilter filter, SocketVisitor v) throws IOException;
}
