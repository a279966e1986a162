package dev.churn.monitor;

import java.io.IOException;

/**
 * Tells whether a port the kernel just gave a listener is free of strangers. Java's server sockets
 * set SO_REUSEADDR on Linux, so bind(0) may hand out a port that an old client-side TIME_WAIT still
 * uses as its local port; a filter "local or remote port = P" would then count that stranger as
 * ours. Listeners that pick port 0 check with {@link #isClean} and rebind when it says no.
 */
public final class CleanPort {

    private CleanPort() {}

    /** True when exactly {@code listeners} sockets (our LISTEN ones) use this port, or we cannot tell. */
    public static boolean isClean(int port, int listeners) {
        try (StateSource s = StateSources.open(SourceKind.AUTO)) {
            return s.count(SocketFilter.ports(port)).total() <= listeners;
        } catch (IOException | RuntimeException e) {
            return true; // no monitor here (not Linux, masked /proc): nothing to be wrong about
        }
    }
}
