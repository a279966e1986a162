package dev.churn.monitor;

import java.util.Locale;

/** What {@code churn monitor --by} groups sockets by. */
public enum GroupKey {
    /** The local port, marked server (a listener holds it) or client (in ip_local_port_range). */
    PORT,
    /** The remote address. */
    PEER,
    /** The remote address and port: the service that was called. */
    REMOTE,
    /** Client or server, as for {@link #PORT}. */
    SIDE,
    /** The owning process (pid and command), or the reason there is none. */
    PROCESS;

    /** The name the command line uses ({@code port}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The key for a command-line name, or an IllegalArgumentException naming the choices. */
    public static GroupKey parse(String s) {
        for (GroupKey k : values()) {
            if (k.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not a grouping key (port, peer, remote, side or process)");
    }
}
