package dev.churn.monitor;

import java.io.IOException;

/**
 * A file that should be {@code /proc/net/tcp} or {@code tcp6} is not one: no header line, or rows
 * of which none is a socket. Usually the user's {@code --proc-root} points at the wrong place;
 * an empty table with its header is not this, it just has no sockets.
 */
public final class NotATcpTableException extends IOException {
    public NotATcpTableException(String message) {
        super(message);
    }
}
