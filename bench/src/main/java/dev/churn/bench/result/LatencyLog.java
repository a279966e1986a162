package dev.churn.bench.result;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.PhaseRecorder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads a run's {@code latency.hlog} for the readers of saved runs (merge, report): {@link #read}
 * hands each phase-tagged interval to a visitor and turns a truncated or corrupt log into one line
 * naming the file; {@link #checkCounts} refuses a log whose totals are not the summary's, which is
 * how a log that parses as nothing (HdrHistogram skips lines it does not know) is caught.
 */
public final class LatencyLog {

    /** One interval of one phase: absolute epoch milliseconds, the histogram in nanoseconds. */
    @FunctionalInterface
    public interface Visitor {
        void interval(String phase, long startMillis, long endMillis, Histogram histogram);
    }

    /** What a file of 0 bytes is said to be, by every reader of a saved run that needs the file. */
    public static final String EMPTY = "empty (0 bytes: the run was killed, or the disk filled)";

    /**
     * The longest latency a churn log may hold: churn clamps what it records at an hour ({@link PhaseRecorder#HIGHEST_NANOS});
     * a day leaves room for the histogram's rounding. A histogram's memory grows with its largest value and its digits:
     * a client's log of 300 intervals of 5 digits, each one value of 2^61 ns (47 MB a histogram), ran the server out of
     * memory merging its session, and {@code churn merge} of it to 6.3 GB (QA, 2026-12-06). Within these bounds each is
     * a few hundred KB.
     */
    static final long MAX_NANOS = Duration.ofDays(1).toNanos();

    /** 2000-01-01T00:00:00Z: no churn log has an interval before it; one that seems to lost its header. */
    private static final long YEAR_2000_MILLIS = 946_684_800_000L;

    private LatencyLog() {}

    /**
     * Visits every interval histogram tagged with a phase label, in file order. Throws
     * IllegalArgumentException naming the file when it is missing, truncated or corrupt.
     */
    public static void read(Path file, Visitor visitor) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == 0) {
            // churn writes the log's header as the run starts: a log of 0 bytes was never written to. Read as one,
            // it "held 0 connect latencies" and read as a corrupt log or another run's (QA, 2026-12-06).
            throw new IllegalArgumentException(file + " is " + EMPTY);
        }
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(file + " is missing or unreadable");
        }
        int interval = 0;
        try (reader) {
            EncodableHistogram e;
            while (true) {
                try {
                    e = reader.nextIntervalHistogram();
                } catch (NoSuchElementException ex) {
                    // Scanner's "No line found": the file ends inside an interval line.
                    throw new IllegalArgumentException(file + " is truncated: it ends inside interval " + (interval + 1)
                            + " (an HdrHistogram log cut short)");
                } catch (RuntimeException ex) {
                    // A bad number, bad base64 or a histogram that does not decode: the line is damaged.
                    throw new IllegalArgumentException(file + " is corrupt at interval " + (interval + 1) + ": " + damage(ex));
                }
                if (e == null) {
                    return;
                }
                interval++;
                if (interval == 1 && e.getStartTimeStamp() < YEAR_2000_MILLIS) {
                    // churn's logs carry absolute times (their BaseTime is their StartTime). Without those header lines
                    // the reader takes the first interval's few seconds as the start, and every time is one from 1970.
                    throw new IllegalArgumentException(file + " has no #[StartTime: ...] line before its intervals: not a"
                            + " churn latency log, or its header was cut off");
                }
                if (e instanceof Histogram h) {
                    checkBounds(file, interval, h);
                }
                if (e instanceof Histogram h && e.getTag() != null && isPhase(e.getTag())) {
                    visitor.interval(e.getTag(), e.getStartTimeStamp(), e.getEndTimeStamp(), h);
                }
            }
        }
    }

    /**
     * What a damaged interval line's decoding failure means, in a user's words: a histogram's base64 text cut short
     * read as "Range [8, 8 + 207) out of bounds for length 210", the decoder's own (QA, 2026-12-07).
     */
    static String damage(RuntimeException ex) {
        Throwable cause = ex.getCause();
        if (ex instanceof IndexOutOfBoundsException || ex instanceof java.nio.BufferUnderflowException
                || cause instanceof java.util.zip.DataFormatException || cause instanceof IndexOutOfBoundsException) {
            return "its histogram is cut short or damaged (its base64 text does not decode to a whole histogram)";
        }
        if (ex instanceof NumberFormatException) {
            return "a field that should be a number is not (" + ex.getMessage() + ")";
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    // Refused before anything adds it up: see MAX_NANOS.
    private static void checkBounds(Path file, int interval, Histogram h) {
        String not = file + " is not a churn latency log: interval " + interval + " holds ";
        if (h.getNumberOfSignificantValueDigits() > PhaseRecorder.DIGITS) {
            throw new IllegalArgumentException(not + "a histogram of " + h.getNumberOfSignificantValueDigits()
                    + " significant digits (churn writes " + PhaseRecorder.DIGITS + ")");
        }
        if (h.getMaxValue() > MAX_NANOS) {
            throw new IllegalArgumentException(not + String.format(Locale.ROOT, "a latency of %,d s, longer than a day (churn"
                    + " records at most an hour)", h.getMaxValue() / 1_000_000_000L));
        }
    }

    /**
     * Refuses a log that does not hold exactly the latencies its summary counts: for every phase,
     * the log's total count must equal {@code phases.<phase>.count} (0 when absent). A garbage or
     * foreign log fails here with one line naming it, instead of feeding silent zeros onward.
     */
    public static void checkCounts(Path file, JsonNode summary, Map<String, Long> counts) {
        for (Phase p : Phase.values()) {
            long want = summary.path("phases").path(p.label()).path("count").asLong(0);
            long got = counts.getOrDefault(p.label(), 0L);
            if (want != got) {
                throw new IllegalArgumentException(file + " holds " + got + " " + p.label() + " latencies but its "
                        + SummaryJson.FILE + " counts " + want + " (a corrupt log, or one from another run)");
            }
        }
    }

    /**
     * Reads a run folder's log whole and checks it against its summary ({@link #checkCounts}), when the folder
     * has one: for a command that reads only the summary ({@code compare --runs}) but must refuse what {@code merge}
     * and {@code report} refuse.
     */
    public static void checkIfPresent(Path file, JsonNode summary) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Map<String, Long> counts = new HashMap<>();
        read(file, (tag, from, to, h) -> counts.merge(tag, h.getTotalCount(), Long::sum));
        checkCounts(file, summary, counts);
    }

    private static boolean isPhase(String tag) {
        for (Phase p : Phase.values()) {
            if (p.label().equals(tag)) {
                return true;
            }
        }
        return false;
    }
}
