package dev.churn.bench.result;

import dev.churn.bench.engine.Phase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * Writes the end-of-run files of a {@link RunRecord} into its folder, each atomically:
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

    /** Writes every end-of-run file and returns the folder. */
    public static Path write(ResultsDirectory dir, RunRecord r) throws IOException {
        for (Phase p : Phase.values()) {
            Histogram h = r.result().phases().get(p);
            if (h != null && h.getTotalCount() > 0) {
                dir.writeStream(hgrmName(p), out -> {
                    PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8);
                    h.outputPercentileDistribution(ps, HGRM_UNIT_RATIO);
                    ps.flush();
                });
            }
        }
        if (r.states() != null) {
            dir.write(STATES_CSV, r.states()::writeCsv);
        }
        // Last, so a folder with summary.json is a folder with everything else too.
        dir.write(SummaryJson.FILE, w -> SummaryJson.write(r, w));
        return dir.path();
    }

    /** The percentile file of a phase: {@code cycle.hgrm}, {@code first_byte.hgrm}, ... */
    public static String hgrmName(Phase p) {
        return p.label() + ".hgrm";
    }
}
