package dev.churn.cli;

import dev.churn.bench.control.ServerCost;
import dev.churn.monitor.LoadReading;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What serving costs: the serve process's CPU time ({@code /proc/self/stat}, user + system of
 * every thread, in 10 ms ticks) since the last progress line and since serving began, as a share of
 * one CPU and per connection accepted. On a server host of a multi-host run this is the other half
 * of what a connection costs, which each client's {@code cpu} line does not see. The figure is the
 * whole process's: the sink's loops, and the JVM's compiler and collector beside them.
 */
final class ServeCpu {

    private final LongSupplier ticks;
    private final LongSupplier nanos;
    private final long startTicks;
    private final long startNanos;
    private long lastTicks;
    private long lastNanos;
    private long lastAccepted;

    /** Starts counting now, from the process's own CPU ticks; none are shown where /proc/self/stat is missing. */
    static ServeCpu start() {
        return new ServeCpu(LoadReading::selfTicksNow, System::nanoTime);
    }

    /** {@code ticks}: the process's CPU so far in 10 ms ticks, -1 when unknown; {@code nanos}: a clock. */
    ServeCpu(LongSupplier ticks, LongSupplier nanos) {
        this.ticks = ticks;
        this.nanos = nanos;
        startTicks = ticks.getAsLong();
        startNanos = nanos.getAsLong();
        lastTicks = startTicks;
        lastNanos = startNanos;
    }

    /**
     * For a progress line: {@code , cpu 41% of a CPU, 88 µs a connection} since the last call (the
     * last part only when something was accepted meanwhile); empty when the ticks cannot be read.
     */
    String sinceLast(long accepted) {
        long t = ticks.getAsLong();
        long n = nanos.getAsLong();
        String s = "";
        if (t >= 0 && lastTicks >= 0 && n > lastNanos) {
            double millis = (t - lastTicks) * LoadReading.MILLIS_PER_TICK;
            s = String.format(Locale.ROOT, ", cpu %s of a CPU", percent(millis, n - lastNanos))
                    + perConnection(millis, accepted - lastAccepted);
        }
        lastTicks = t;
        lastNanos = n;
        lastAccepted = accepted;
        return s;
    }

    /**
     * For the end: {@code cpu 2.31 s in 8.0 s of serving (29% of a CPU), 99.2 µs a connection
     * accepted}, or null when the ticks cannot be read.
     */
    String total(long accepted) {
        long t = ticks.getAsLong();
        long n = nanos.getAsLong();
        if (t < 0 || startTicks < 0 || n <= startNanos) {
            return null;
        }
        double millis = (t - startTicks) * LoadReading.MILLIS_PER_TICK;
        return String.format(Locale.ROOT, "cpu %.2f s in %.1f s of serving (%s of a CPU)", millis / 1e3,
                (n - startNanos) / 1e9, percent(millis, n - startNanos)) + perConnection(millis, accepted)
                + (accepted > 0 ? " accepted" : "");
    }

    /** The process now, for a joined session's start and end ({@link ServerCost}): CPU -1 when the ticks cannot be read. */
    ServerCost.Reading read(long accepted, long notHeld) {
        long t = ticks.getAsLong();
        return new ServerCost.Reading(nanos.getAsLong(), t < 0 ? -1 : t * LoadReading.MILLIS_PER_TICK, accepted, notHeld);
    }

    private static String percent(double millis, long spanNanos) {
        return share(millis * 1e6 / spanNanos * 100);
    }

    /** A share of one CPU in percent as serve and a session's table print it: under 10% with a decimal (an idle 0.2% is not 0%). */
    static String share(double percent) {
        return String.format(Locale.ROOT, percent < 10 ? "%.1f%%" : "%.0f%%", percent);
    }

    private static String perConnection(double millis, long connections) {
        return connections <= 0 ? "" : String.format(Locale.ROOT, ", %,.1f µs a connection", millis * 1e3 / connections);
    }
}
