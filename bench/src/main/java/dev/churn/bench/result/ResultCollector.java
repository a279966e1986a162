package dev.churn.bench.result;

import dev.churn.bench.config.Load;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.engine.Tick;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a run's interval histograms to {@code latency.hlog} as the run goes: hang it on the engine
 * as a listener; after the run, call {@link #close} (which {@link #finished} already did) and
 * {@link #checkWritten}. Each measured tick adds one line per phase that saw cycles, tagged with the
 * phase label; values are nanoseconds. Read it with HdrHistogram's HistogramLogReader or
 * HistogramLogProcessor ({@code -tag cycle}). Warm-up ticks (and a run without a warm-up's
 * {@linkplain #rehearse rehearsal}) are left out of the file, but are written all the same into a
 * log that discards them: the encoding (HdrHistogram's compression, the Formatter, their classes
 * loaded from the jar) then is compiled before the measured part, not in its first second, where
 * it took CPU from the run on a two-core machine (docs/performance.md).
 */
public final class ResultCollector implements RunListener, AutoCloseable {

    /** The file name. */
    public static final String FILE = "latency.hlog";

    /** The log's MaxValue column is this many histogram units (ns) per unit shown: milliseconds. */
    private static final double MAX_VALUE_UNIT_RATIO = 1_000_000.0;

    private final ResultsDirectory dir;
    private final String label;
    private AtomicFile file;
    private PrintStream out;
    private HistogramLogWriter log;
    private final OutputStream rehearsalSink;
    private PrintStream rehearsalOut;
    private HistogramLogWriter rehearsal;
    private long startNanos;
    private IOException failure;
    private Consumer<IOException> onFailure = e -> {};

    /** A collector writing into this run's folder, naming the run by its label in the log's comments. */
    public ResultCollector(ResultsDirectory dir, String label) {
        this(dir, label, OutputStream.nullOutputStream());
    }

    /** As above, the warm-up's and rehearsals' intervals written to {@code rehearsalSink} (a test reads it). */
    ResultCollector(ResultsDirectory dir, String label, OutputStream rehearsalSink) {
        this.dir = dir;
        this.label = label;
        this.rehearsalSink = rehearsalSink;
    }

    /**
     * Told of the log's first failure as it happens (the run goes on): a disk that filled 6 s into a 10 s run had its
     * progress lines carry on as if nothing were wrong until the end (QA, 2026-12-06).
     */
    public synchronized void onFailure(Consumer<IOException> listener) {
        this.onFailure = listener;
    }

    @Override
    public synchronized void started(RunInfo info) {
        try {
            file = dir.open(FILE);
            out = new PrintStream(file.stream(), false, StandardCharsets.UTF_8);
            log = new HistogramLogWriter(out);
            rehearsalOut = new PrintStream(rehearsalSink, false, StandardCharsets.UTF_8);
            rehearsal = new HistogramLogWriter(rehearsalOut);
            startNanos = info.startNanos();
            log.outputComment("churn run " + label + ": " + describe(info));
            log.outputComment("values in nanoseconds; tags are phases (" + phaseLabels()
                    + "); MaxValue column in milliseconds; timestamps in seconds since StartTime");
            log.outputLogFormatVersion();
            log.outputStartTime(info.startEpochMillis());
            log.outputBaseTime(info.startEpochMillis());
            log.outputLegend();
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public synchronized void tick(Tick tick) {
        if (log == null) {
            return;
        }
        if (tick.warmup()) {
            rehearse(tick);
            return;
        }
        write(log, tick);
        // Flushed each tick so a crash loses at most one interval of the temporary file.
        out.flush();
        if (out.checkError()) {
            abandon();
        }
    }

    @Override
    public synchronized void rehearse(Tick tick) {
        if (rehearsal != null) {
            write(rehearsal, tick);
            rehearsalOut.flush();
        }
    }

    private void write(HistogramLogWriter to, Tick tick) {
        double from = (tick.intervalStartNanos() - startNanos) / 1e9;
        double until = (tick.intervalEndNanos() - startNanos) / 1e9;
        for (Phase p : Phase.values()) {
            Histogram h = tick.intervals().get(p);
            if (h != null && h.getTotalCount() > 0) {
                h.setTag(p.label());
                to.outputIntervalHistogram(from, until, h, MAX_VALUE_UNIT_RATIO);
            }
        }
    }

    @Override
    public void finished(RunResult result) {
        close();
    }

    /** Completes latency.hlog and renames it into place (once; later calls do nothing). */
    @Override
    public synchronized void close() {
        if (file == null) {
            return;
        }
        out.flush();
        if (out.checkError()) {
            abandon();
            return;
        }
        try {
            file.commit();
        } catch (IOException e) {
            fail(e);
        } finally {
            file = null;
            log = null;
        }
    }

    // A write failed (the PrintStream hid it): the temporary file goes at once, freeing its space,
    // and the rest of the run is not logged; the run itself goes on, and checkWritten reports it.
    private void abandon() {
        IOException cause = file.writeError() != null ? file.writeError() : new IOException("write error");
        fail(WriteFailure.of(file.target(), cause, file.bytesNeeded(), -1));
        try {
            file.close();
        } catch (IOException e) {
            // the temporary file may stay; the failure above is what the user needs to hear
        }
        file = null;
        log = null;
    }

    /** Throws the first error met while writing, if any: listeners cannot throw to the engine. */
    public synchronized void checkWritten() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Why the log was lost (its first error, one line), or null while it is written: summary.json's latencyLog.lost. */
    public synchronized String lostReason() {
        return failure == null ? null : oneLine(failure.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "write error" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
            onFailure.accept(e);
        }
        log = null;
    }

    private static String describe(RunInfo info) {
        RunSpec s = info.spec();
        // An open loop's load is its rate: "concurrency 1000" named its in-flight cap as if it were a closed loop's.
        String load = switch (s.load()) {
            case Load.Closed c -> "concurrency " + c.concurrency();
            case Load.Open o -> "open loop " + o.ratePerSecond() + "/s (at most " + o.maxInFlight() + " in flight)";
        };
        return "transport " + s.transport().label() + ", closer " + s.closer().label()
                + ", linger " + s.socket().linger() + ", " + load
                + ", target " + SummaryJson.hostPort(info.target());
    }

    private static String phaseLabels() {
        StringBuilder b = new StringBuilder();
        for (Phase p : Phase.values()) {
            b.append(b.isEmpty() ? "" : " ").append(p.label());
        }
        return b.toString();
    }
}
