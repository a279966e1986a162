package dev.churn.bench.result;

import dev.churn.bench.engine.Phase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes the end-of-run files of a {@link RunRecord} into its folder, each atomically (complete or
 * absent):
 * {@code summary.json}, one {@code <phase>.hgrm} per phase that saw cycles (percentile distribution
 * in microseconds), and {@code states.csv} when states were sampled. {@code latency.hlog} is the
 * {@link ResultCollector}'s, written during the run.
 */
public final class ResultsWriter {

    /** The states timeline's file name. */
    public static final String STATES_CSV = "states.csv";
    /** HdrHistogram's percentile files scale nanoseconds by this: values in microseconds. */
    public static final double HGRM_UNIT_RATIO = 1000.0;

    private ResultsWriter() {}

    /**
     * Writes every end-of-run file and returns the folder. All are made in memory first, then
     * written in order: summary.json, states.csv, then the .hgrm files; the first that cannot be written
     * stops the rest (a folder with summary.json has its latency.hlog) and is thrown as a {@link WriteFailure}
     * naming it, the bytes it needed, the space free, and the files not written with their size.
     * Files written before it stay, each complete.
     */
    public static Path write(ResultsDirectory dir, RunRecord r) throws IOException {
        Map<String, byte[]> files = render(r);
        List<String> names = new ArrayList<>(files.keySet());
        for (int i = 0; i < names.size(); i++) {
            try {
                dir.writeBytes(names.get(i), files.get(names.get(i)));
            } catch (WriteFailure e) {
                throw e.withNote(notWritten(files, names.subList(i, names.size())));
            }
        }
        return dir.path();
    }

    /**
     * As {@link #write(ResultsDirectory, RunRecord)}, after the run's {@code latency.hlog}. When the log could not be
     * written, the other files still are, and the log's failure is thrown after them, saying what was written: the
     * summary and each phase's percentiles hold every measured cycle, only the timeline of intervals is lost. Until
     * 2026-12-06 nothing else was written, and a disk that filled 6 s into a 10 s run lost the whole run, though
     * its 35,824 bytes of summary, states and percentiles fitted in the room the abandoned log and the reserve left
     * (QA). A folder with summary.json and no latency.hlog reopens with a note saying so.
     */
    public static Path write(ResultsDirectory dir, RunRecord r, ResultCollector log) throws IOException {
        dir.releaseReserve(); // the room held for these files while the log grew
        try {
            log.checkWritten();
        } catch (WriteFailure e) {
            // The summary says the log was lost, whether or not the caller told the record.
            Map<String, byte[]> files = render(r.latencyLogLost() != null ? r : r.withLatencyLogLost(log.lostReason()));
            List<String> names = List.copyOf(files.keySet());
            for (int i = 0; i < names.size(); i++) {
                try {
                    dir.writeBytes(names.get(i), files.get(names.get(i)));
                } catch (WriteFailure more) {
                    throw e.withNote(notWritten(files, names.subList(i, names.size()))
                            + (i == 0 ? "" : "; written: " + String.join(", ", names.subList(0, i))));
                }
            }
            throw e.withNote("the other files were written (" + String.join(", ", names) + "): the summary and"
                    + " the .hgrm percentiles hold every measured cycle; only the log's intervals are lost");
        }
        return write(dir, r);
    }

    private static String notWritten(Map<String, byte[]> files, List<String> names) {
        long bytes = names.stream().mapToLong(n -> files.get(n).length).sum();
        return String.format(Locale.ROOT, "not written: %s (%,d bytes in all)", String.join(", ", names), bytes);
    }

    /**
     * The end-of-run files by name, in the order they are written: the summary, into the room held for it while the
     * log grew (ResultsDirectory#reserveForSummary), then the states, then each phase's percentiles, which
     * latency.hlog holds too. With summary.json last, a disk that the log had all but filled failed the first .hgrm,
     * and the run's summary was lost while 4 KB files were kept (QA, 2026-12-06).
     */
    static Map<String, byte[]> render(RunRecord r) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(SummaryJson.FILE, ResultsDirectory.renderText(w -> SummaryJson.write(r, w)));
        if (r.states() != null) {
            files.put(STATES_CSV, ResultsDirectory.renderText(r.states()::writeCsv));
        }
        for (Phase p : Phase.values()) {
            Histogram h = r.result().phases().get(p);
            if (h != null && h.getTotalCount() > 0) {
                files.put(hgrmName(p), ResultsDirectory.render(out -> {
                    PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8);
                    h.outputPercentileDistribution(ps, HGRM_UNIT_RATIO);
                    ps.flush();
                }));
            }
        }
        return files;
    }

    /** The percentile file of a phase: {@code cycle.hgrm}, {@code first_byte.hgrm}, ... */
    public static String hgrmName(Phase p) {
        return p.label() + ".hgrm";
    }
}
