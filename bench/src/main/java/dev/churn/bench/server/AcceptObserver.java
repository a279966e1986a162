package dev.churn.bench.server;

/** Hears every accept of a {@link SinkServer}: the engine pairs it with the client's connect to time ACCEPT. */
@FunctionalInterface
public interface AcceptObserver {

    /** A connection from this remote (client) port was accepted at this System.nanoTime(). */
    void accepted(int remotePort, long acceptedNanos);
}
