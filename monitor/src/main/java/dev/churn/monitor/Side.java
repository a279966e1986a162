package dev.churn.monitor;

import java.util.Locale;

/** Which end of a connection a local socket is: decided by its local port. */
public enum Side {
    /** A listener holds the local port: the socket was accepted. */
    SERVER,
    /** The local port lies in ip_local_port_range: the socket connected out. */
    CLIENT,
    /** Neither: e.g. a client that bound a fixed port, or a listener that has gone. */
    UNKNOWN;

    /** Lower-case name, as output shows it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
