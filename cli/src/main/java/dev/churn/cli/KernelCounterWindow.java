package dev.churn.cli;

import dev.churn.bench.engine.RunListener;
import dev.churn.monitor.KernelCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The kernel counters' "before" reading, taken when the measured part begins rather than when the
 * command starts, so a run's deltas leave out its warm-up (whose SO_LINGER 0 connections would
 * otherwise add their opens and resets to every measured run).
 */
final class KernelCounterWindow implements RunListener {

    private final Path proc;
    private volatile KernelCounters before;

    /** Reads once now, so a run that ends before its measured part still has a window. */
    KernelCounterWindow(Path proc) throws IOException {
        this.proc = proc;
        this.before = KernelCounters.read(proc);
    }

    @Override
    public void measuring() {
        try {
            before = KernelCounters.read(proc);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // kept by CompositeListener; the earlier reading stands
        }
    }

    /** What changed between the start of the measured part and now. */
    KernelCounters delta() throws IOException {
        return KernelCounters.read(proc).minus(before);
    }
}
