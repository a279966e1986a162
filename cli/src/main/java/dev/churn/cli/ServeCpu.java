package dev.churn.cli;

import dev.churn.bench.control.ServerCost;
import dev.churn.monitor.ProcessCpu;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What serving costs: the serve process's CPU time ({@link ProcessCpu}, user + system of
 * every thread, to the nanosecond) since the last progress line and since serving began, as a share of
 * one CPU and per connection accepted. On a server host of a multi-host run this is the other half
 * of what a connection costs, which each client's {@code cpu} line does not see. The figure is the
 * whole process's: the sink's loops, and the JVM's compiler and collector beside them.
 */
final class ServeCpu {

    private final LongSupplier cpu;
    private final LongSupplier nanos;
    private final long startCpu;
    private final long startNanos;
    private long lastCpu;
    private long lastNanos;
    private long lastAccepted;

    /** Starts counting now, from the process's own CPU time; none is shown where it cannot be read. */
    static ServeCpu start() {
        return new ServeCpu(ProcessCpu::nanosNow, System::nanoTime);
    }

    /** {@code cpu}: the process's CPU so far in nanoseconds, -1 when unknown; {@code nanos}: a clock. */
    ServeCpu(LongSupplier cpu, LongSupplier nanos) {
        this.cpu = cpu;
        this.nanos = nanos;
        startCpu = cpu.getAsLong();
        startNanos = nanos.getAsLong();
        lastCpu = startCpu;
        lastNanos = startNanos;
    }

    /**
     * For a progress line: {@code , cpu 41% of a CPU, 88 µs a connection} since the last call (the
     * last part only when something was accepted meanwhile); empty when the CPU time cannot be read.
     */
    String sinceLast(long accepted) {
        long t = cpu.getAsLong();
        long n = nanos.getAsLong();
        String s = "";
        if (t >= 0 && lastCpu >= 0 && n > lastNanos) {
            double millis = (t - lastCpu) / 1e6;
            s = String.format(Locale.ROOT, ", cpu %s of a CPU", percent(millis, n - lastNanos))
                    + perConnection(millis, accepted - lastAccepted);
        }
        lastCpu = t;
        lastNanos = n;
        lastAccepted = accepted;
        return s;
    }

    /**
     * For the end: {@code cpu 2.31 s in 8.0 s of serving (29% of a CPU), 99.2 µs a connection
     * accepted}, or null when the CPU time cannot be read.
     */
    String total(long accepted) {
        long t = cpu.getAsLong();
        long n = nanos.getAsLong();
        if (t < 0 || startCpu < 0 || n <= startNanos) {
            return null;
        }
        double millis = (t - startCpu) / 1e6;
        return String.format(Locale.ROOT, "cpu %.2f s in %.1f s of serving (%s of a CPU)", millis / 1e3,
                (n - startNanos) / 1e9, percent(millis, n - startNanos)) + perConnection(millis, accepted)
                + (accepted >= FEW_FOR_A_COST ? " accepted"
                        : accepted > 0 ? String.format(Locale.ROOT, ", %,d accepted: too few for a cost each", accepted) : "");
    }

    /** The process now, for a joined session's start and end ({@link ServerCost}): CPU -1 when the CPU time cannot be read. */
    ServerCost.Reading read(long accepted, long notHeld) {
        long t = cpu.getAsLong();
        return new ServerCost.Reading(nanos.getAsLong(), t < 0 ? -1 : t / 1e6, accepted, notHeld);
    }

    private static String percent(double millis, long spanNanos) {
        return share(millis * 1e6 / spanNanos * 100);
    }

    /** A share of one CPU in percent as serve and a session's table print it: under 10% with a decimal (an idle 0.2% is not 0%). */
    static String share(double percent) {
        return String.format(Locale.ROOT, percent < 10 ? "%.1f%%" : "%.0f%%", percent);
    }

    /**
     * Under this many connections a span's CPU is not divided among them: an idle server that accepted one said
     * "20,000.0 µs a connection accepted", its JVM's own two ticks (QA, 2026-12-06).
     */
    static final long FEW_FOR_A_COST = 100;

    private static String perConnection(double millis, long connections) {
        return connections < FEW_FOR_A_COST ? "" : String.format(Locale.ROOT, ", %,.1f µs a connection", millis * 1e3 / connections);
    }
}
