package dev.churn.bench.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output, split: everything JMH prints goes to {@code log} (a file: a smoke run alone prints
 * over a thousand lines), and a user sees one line per benchmark configuration on {@code progress}:
 * which one, n of m, the time since the suite started, and its score when it ends.
 */
final class BenchProgress implements OutputFormat {

    private final OutputFormat log;
    private final PrintStream progress;
    private final int total;
    private final long startNanos = System.nanoTime();
    private int started;
    // What a Ctrl-C keeps: every configuration that ended, as JMH handed it over (its forks' iterations aggregated).
    private final List<BenchmarkResult> finished = new ArrayList<>();

    BenchProgress(OutputFormat log, PrintStream progress, int total) {
        this.log = log;
        this.progress = progress;
        this.total = total;
    }

    /**
     * Set once the suite is stopped ({@link #freeze}): JMH runs on a moment, and a score printed then was not in
     * jmh.json (a Ctrl-C printed configuration 9's score, kept 8, and said 9 was cut short). From then on only the
     * log hears of it.
     */
    private boolean frozen;

    /** What a stopped suite keeps: the configurations that ended, and how many had started, at one moment. */
    record Snapshot(List<RunResult> finished, int started) {}

    /** Stops the progress lines and takes what ended so far; later configurations are the log's alone. */
    synchronized Snapshot freeze() {
        frozen = true;
        return new Snapshot(finished(), started);
    }

    @Override
    public synchronized void startBenchmark(BenchmarkParams params) {
        log.startBenchmark(params);
        if (frozen) {
            return;
        }
        started++;
        progress.printf(Locale.ROOT, "[%d/%d %s] %s %s%n", started, total, elapsed(), BenchSummary.shortName(params.getBenchmark()),
                BenchSummary.params(params));
    }

    @Override
    public synchronized void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        if (result != null && !frozen) {
            finished.add(result);
            Result<?> r = result.getPrimaryResult();
            progress.printf(Locale.ROOT, "        %s %s%n", BenchSummary.num(r.getScore()), r.getScoreUnit());
        }
    }

    /** The configurations that ended so far, one RunResult each, in the order they ran. */
    synchronized List<RunResult> finished() {
        return finished.stream().map(b -> new RunResult(b.getParams(), List.of(b))).toList();
    }

    /** How many configurations have started; the last one is still running unless all have finished. */
    synchronized int started() {
        return started;
    }

    int total() {
        return total;
    }

    private String elapsed() {
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void iteration(BenchmarkParams bp, IterationParams ip, int n) {
        log.iteration(bp, ip, n);
    }

    @Override
    public void iterationResult(BenchmarkParams bp, IterationParams ip, int n, IterationResult r) {
        log.iterationResult(bp, ip, n, r);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        log.endRun(results);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
        progress.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
