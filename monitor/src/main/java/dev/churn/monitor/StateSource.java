package dev.churn.monitor;

import java.io.IOException;

/**
 * Counts TCP sockets per state as the kernel reports them. Open one with {@link StateSources#open},
 * call {@link #count} as often as needed, and close it. Implementations are not thread-safe: one
 * sampler thread owns a source.
 */
public interface StateSource extends AutoCloseable {

    /** Which kind of source this is. */
    SourceKind kind();

    /** Counts the sockets that pass the filter, now. */
    StateCounts count(SocketFilter filter) throws IOException;

    /** Releases any kernel resources (the netlink socket). */
    @Override
    default void close() throws IOException {}
}
