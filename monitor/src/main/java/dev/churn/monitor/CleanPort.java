package dev.churn.monitor;

import java.io.IOException;
import java.util.function.ToIntFunction;

/**
 * Tells whether a port the kernel just gave a listener is free of strangers. Java's server sockets
 * set SO_REUSEADDR on Linux, so bind(0) may hand out a port that an old client-side TIME_WAIT still
 * uses as its local port; a filter "local or remote port = P" would then count that stranger as
 * ours. Listeners that pick port 0 bind through {@link #bind}, which rebinds while {@link #isClean}
 * says no.
 */
public final class CleanPort {

    /** Binds a listener (or several on one port) to port 0; the caller owns what it returns. */
    @FunctionalInterface
    public interface Binder<T extends AutoCloseable> {
        T bind() throws IOException;
    }

    /** Rebinds at most this often; strangers on a fresh port are rare, so a few tries are plenty. */
    static final int MAX_TRIES = 20;

    private CleanPort() {}

    /** What {@link #bind} does when every one of its {@link #MAX_TRIES} bindings carried strangers. */
    public enum GiveUp {
        /**
         * Keeps the last binding: a run goes on, and says what was on its port before it began (its
         * summary's "there before the run"), which is more use to a user than no run.
         */
        KEEP_LAST,
        /**
         * Closes it and throws: a test that counts sockets exactly would count the strangers as its
         * own, a miscount that reads as a bug in what counted.
         */
        FAIL
    }

    /**
     * Binds with {@code binder} until the port ({@code portOf}) carries no socket but our
     * {@code listeners} LISTEN ones, closing each rejected binding; after {@link #MAX_TRIES} it does
     * what {@code giveUp} says.
     */
    public static <T extends AutoCloseable> T bind(Binder<T> binder, ToIntFunction<T> portOf, int listeners, GiveUp giveUp)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            T bound = binder.bind();
            int port = portOf.applyAsInt(bound);
            if (isClean(port, listeners) || attempt == MAX_TRIES && giveUp == GiveUp.KEEP_LAST) {
                return bound;
            }
            try {
                bound.close();
            } catch (Exception e) {
                throw new IOException("cannot release a rejected listener: " + e.getMessage(), e);
            }
            if (attempt == MAX_TRIES) {
                throw new IOException("no port free of other sockets in " + MAX_TRIES + " bindings (the last, " + port
                        + ", carried sockets besides our " + listeners + " listener" + (listeners == 1 ? "" : "s") + ")");
            }
        }
    }

    /** True when exactly {@code listeners} sockets (our LISTEN ones) use this port, or we cannot tell. */
    public static boolean isClean(int port, int listeners) {
        try (StateSource s = StateSources.open(SourceKind.AUTO)) {
            return s.count(SocketFilter.ports(port)).total() <= listeners;
        } catch (IOException | RuntimeException e) {
            return true; // no monitor here (not Linux, masked /proc): nothing to be wrong about
        }
    }
}
