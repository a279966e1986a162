package dev.churn.cli;

import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.engine.Tick;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.HdrHistogram.Histogram;

/**
 * Shows a run's progress on standard error: a progress bar on a terminal (connections done, or
 * seconds for a run bounded by time; live rate, cycle p99 and TIME_WAIT in its message), a plain
 * line every {@value #LINE_EVERY_SECONDS} seconds elsewhere (CI logs), or nothing.
 */
final class RunProgress implements RunListener, AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        BAR,
        LINES,
        NONE
    }

    static final int LINE_EVERY_SECONDS = 5;
    static final double RATE_WINDOW_SECONDS = 0.5;

    private final Mode mode;
    private final PrintWriter err;
    private final LongSupplier timeWait;
    /** The JIT compiler threads' CPU in nanoseconds, or -1 when unknown: shown in the warm-up's message. */
    private final LongSupplier compilerNanos;
    private long lastCompilerNanos = -1;
    private ProgressBar bar;
    private RunInfo info;
    private boolean byCount;
    private long lastCompleted;
    private boolean lastWarmup = true;
    private long lastLineNanos;
    /** Completed cycles at the last line, and when the count it belongs to began (a part's start, or that line). */
    private long lineCompleted;
    private long lineFromNanos;
    private long rateFromNanos;
    /** When the measured part began (the run's start until then): the bar's seconds count from it. */
    private long measuredFromNanos;
    private String lastMessage;
    private double lastJit = -1;

    /**
     * {@code compilerNanos}: the JIT compilers' CPU ({@link CpuWindow#compilerNanosNow}), -1 when
     * unknown. The warm-up's message says what share of a CPU they took since the last one, so a
     * user watching a long warm-up ({@code --warmup auto} over TLS runs 30-40 s) sees what it waits for.
     */
    RunProgress(Mode mode, PrintWriter err, LongSupplier timeWait, LongSupplier compilerNanos) {
        this.mode = mode;
        this.err = err;
        this.timeWait = timeWait;
        this.compilerNanos = compilerNanos;
    }

    /** The bar on a terminal, lines elsewhere, nothing when the user said --no-progress. */
    static Mode choose(boolean noProgress) {
        return noProgress ? Mode.NONE : Terminal.stderrIsTerminal() ? Mode.BAR : Mode.LINES;
    }

    @Override
    public synchronized void started(RunInfo info) {
        this.info = info;
        this.lastLineNanos = info.startNanos();
        this.lineFromNanos = info.startNanos();
        this.rateFromNanos = info.startNanos();
        this.measuredFromNanos = info.startNanos();
        RunSpec s = info.spec();
        byCount = s.connections() > 0;
        if (mode == Mode.BAR) {
            long max = byCount ? s.connections() : Math.max(1, s.duration().toSeconds());
            bar = new ProgressBarBuilder()
                    .setTaskName("churn")
                    .setInitialMax(max)
                    .setUnit(byCount ? "" : "s", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
    }

    @Override
    public synchronized void tick(Tick t) {
        if (info == null || mode == Mode.NONE) {
            return;
        }
        long done = t.warmup() ? 0 : t.completed();
        if (t.warmup() != lastWarmup) {
            // Counts restart at zero when the measured part begins.
            lastWarmup = t.warmup();
            lastCompleted = 0;
            lineCompleted = 0;
            lineFromNanos = t.intervalStartNanos();
            rateFromNanos = t.intervalStartNanos();
            measuredFromNanos = t.intervalStartNanos();
            lastMessage = null;
            if (bar != null) {
                bar.reset(); // its elapsed time and estimate are the measured part's from here
            }
        }
        // Ticks come every 200 ms early in a run: the rate shown is over half a second at least, so
        // it does not flicker with each tick's few cycles.
        double seconds = (t.intervalEndNanos() - rateFromNanos) / 1e9;
        if (seconds >= RATE_WINDOW_SECONDS || lastMessage == null) {
            long delta = t.completed() - lastCompleted;
            lastCompleted = t.completed();
            rateFromNanos = t.intervalEndNanos();
            double jit = -1;
            if (t.warmup()) {
                long now = compilerNanos.getAsLong();
                if (now >= 0 && lastCompilerNanos >= 0 && seconds > 0) {
                    jit = Math.max(0, now - lastCompilerNanos) / 1e9 / seconds;
                }
                lastCompilerNanos = now;
            }
            lastJit = jit;
            lastMessage = message(t.warmup(), Math.max(0, delta) / Math.max(1e-9, seconds), p99Micros(t),
                    timeWait.getAsLong(), t.failed(), jit);
        }
        String msg = lastMessage;
        if (mode == Mode.BAR) {
            bar.stepTo(barPosition(byCount, t.warmup(), done, t.intervalEndNanos() - measuredFromNanos, bar.getMax()));
            bar.setExtraMessage(msg);
        } else if (t.intervalEndNanos() - lastLineNanos >= LINE_EVERY_SECONDS * 1_000_000_000L) {
            // A line every 5 s gives the rate since the one before, not the bar's last half second: a 5-minute run's
            // lines read -38% to +162% off the completions between them (QA, 2026-12-06).
            double since = (t.intervalEndNanos() - lineFromNanos) / 1e9;
            if (since > 0) {
                msg = message(t.warmup(), Math.max(0, t.completed() - lineCompleted) / since, p99Micros(t),
                        timeWait.getAsLong(), t.failed(), lastJit);
            }
            lastLineNanos = t.intervalEndNanos();
            lineFromNanos = t.intervalEndNanos();
            lineCompleted = t.completed();
            long elapsed = (t.intervalEndNanos() - info.startNanos()) / 1_000_000_000L;
            err.println(String.format(Locale.ROOT, "churn run: %ds, %,d completed, %s", elapsed, t.completed(), msg));
            err.flush();
        }
    }

    /**
     * Where the bar stands: connections done, or whole seconds of the measured part, never of the warm-up. A run bounded
     * by time counted its warm-up against --duration: full before measuring began, then still for the whole measured
     * part, its estimate 0 (QA, 2026-12-06). The warm-up shows at 0, its message saying "warm-up".
     */
    static long barPosition(boolean byCount, boolean warmup, long done, long measuredNanos, long max) {
        if (byCount) {
            return done;
        }
        return warmup ? 0 : Math.min(max, Math.max(0, measuredNanos) / 1_000_000_000L);
    }

    @Override
    public void finished(RunResult result) {
        close();
    }

    /** Removes the bar (the summary follows). */
    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** The progress message; {@code jitShare} is the JIT compilers' share of a CPU (0.12 for 12%; negative: not shown). */
    static String message(boolean warmup, double rate, double p99Micros, long timeWait, long failed, double jitShare) {
        StringBuilder b = new StringBuilder();
        if (warmup) {
            b.append("warm-up ");
        }
        b.append(String.format(Locale.ROOT, "%,.0f/s", rate));
        if (p99Micros >= 0) {
            b.append(" p99 ").append(p99Micros < 1000
                    ? String.format(Locale.ROOT, "%.0fµs", p99Micros)
                    : String.format(Locale.ROOT, "%.1fms", p99Micros / 1000));
        }
        if (timeWait >= 0) {
            b.append(String.format(Locale.ROOT, " TIME_WAIT %,d", timeWait));
        }
        if (failed > 0) {
            b.append(String.format(Locale.ROOT, " failed %,d", failed));
        }
        if (jitShare >= 0) {
            b.append(String.format(Locale.ROOT, " JIT %.0f%%", 100 * jitShare));
        }
        return b.toString();
    }

    private static double p99Micros(Tick t) {
        Histogram h = t.intervals().get(Phase.CYCLE);
        return h == null || h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99) / 1000.0;
    }
}
