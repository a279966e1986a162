package dev.churn.bench.control;

import java.nio.file.Path;
import java.util.List;

/**
 * Hears a control server's sessions as they go, for the user: {@code churn serve} prints each call
 * as a line. Calls come from the server's threads; each is short.
 */
public interface SessionListener {

    /** A connection was refused before it joined: not churn, another version, or no room in a session. */
    default void refused(String peer, String reason) {}

    /**
     * Something of the server's own failed for a session ({@code where}: its folder), such as writing its record: not a
     * refused connection, which a listener may count rather than show.
     */
    default void failed(String where, String reason) {
        refused(where, reason);
    }

    /** A client joined: it is {@code joined} of {@code expected}. */
    default void joined(Member m, int joined, int expected) {}

    /** A client measured its clock against the server's and is ready to start. */
    default void ready(Member m) {}

    /** Every client is ready; each starts at this instant of the server's clock. */
    default void starting(long startAtEpochNanos, List<Member> members, Path dir) {}

    /** The session did not start: not every client joined in time. */
    default void cancelled(String reason) {}

    /** A client is gone (closed, silent too long) before its results arrived. */
    default void lost(Member m) {}

    /** A client is gone before the session started: its place is free, and it is not one of the session's lost. */
    default void left(Member m) {
        lost(m);
    }

    /** A client's results are written. */
    default void stored(Member m) {}

    /** The session is over, every client complete or lost; its report is written. */
    default void ended(SessionReport report) {}

    SessionListener NONE = new SessionListener() {};
}
