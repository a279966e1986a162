package dev.churn.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The timeline of {@link Sample}s a {@link StateSampler} takes: one thread appends while others
 * read snapshots ({@link #samples()}, {@link #last()}, {@link #peaks()}), all thread-safe.
 *
 * <p><b>Bounded.</b> At most {@code maxSamples} samples are stored. When the store is full it
 * thins itself: it keeps every other stored sample and from then on stores only every 2nd sample
 * taken (then every 4th, 8th, ...), so on a long run the stored timeline still covers the whole run,
 * at a coarser resolution, in bounded memory, its last row the last sample taken. {@link #peaks()}, {@link #last()} and
 * {@link #samplesTaken()} always account for every sample taken, stored or not.
 *
 * <p><b>CSV</b> ({@link #writeCsv}), format {@code churn.states/2}: the first line is exactly
 * {@link #CSV_HEADER} (the header is the format's version mark: no comment line precedes it, so any
 * CSV reader takes the file as is; later versions only append columns). One row per stored sample:
 * {@code t_ms} is milliseconds since sampling started, then the count of each of the eleven
 * {@link TcpState}s in enum order, {@code sockstat_tw} (empty when the kernel gave none),
 * {@code sample_us}, what taking the sample cost, and {@code interval_us}, the actual time since the
 * previous row (empty for the first): once the series has thinned, the time since the stored sample
 * before it, not since the sample taken before it. Version 1 ended at {@code sample_us}.
 *
 * <p><b>JSON</b> ({@link #writeJsonLine}, {@link #writeJson}): one object per sample per line,
 * exactly {@code {"time": <epoch ms>, "source": "netlink", "states": {"ESTABLISHED": n, ...all
 * eleven in TcpState order...}, "sockstat": {"tw": n, "inuse": n, "orphan": n}, "sampleMicros": n,
 * "intervalMicros": n}}; a sockstat value the kernel did not give, and the first sample's interval,
 * are {@code null}.
 */
public final class StateSeries {

    /** The first line of the CSV: the columns of format {@code churn.states/2}. */
    public static final String CSV_HEADER = csvHeader();

    /** Stored samples when nobody says otherwise: a day at one sample per second. */
    public static final int DEFAULT_MAX_SAMPLES = 86_400;

    private static final TcpState[] STATES = TcpState.values();
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final SourceKind source;
    private final int maxSamples;
    private final List<Sample> stored;
    // Peaks live in a primitive array so appending allocates nothing beyond the sample itself.
    private final long[] peaks = new long[STATES.length];
    private long peakSockstatTw = -1;
    private long taken;
    private int stride = 1;
    private Sample last;
    private long errors;
    private String firstError;
    private StateSampler.Stretch stretch;
    private long putOff;
    private StateCounts before;
    private long[] finalTimeWaitSides;

    /** An empty series for samples from this kind of source, storing up to {@link #DEFAULT_MAX_SAMPLES}. */
    public StateSeries(SourceKind source) {
        this(source, DEFAULT_MAX_SAMPLES);
    }

    /** An empty series storing up to {@code maxSamples} (at least 2) samples, thinning beyond. */
    public StateSeries(SourceKind source, int maxSamples) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxSamples < 2) {
            throw new IllegalArgumentException("maxSamples: " + maxSamples + " must be at least 2");
        }
        this.maxSamples = maxSamples;
        this.stored = new ArrayList<>(Math.min(maxSamples, 1024));
    }

    /** Appends a sample: updates peaks and last, stores it unless thinning skips it. */
    public synchronized void add(Sample s) {
        add(s, true);
    }

    /**
     * Appends a sample of what a teardown left (a run's sink closing the connections it held), which
     * is the series' last but no peak: the run never had those states while it ran (1,000 TIME_WAIT
     * as the peak of a --closer never run that had none).
     */
    public synchronized void addAfterEnd(Sample s) {
        add(s, false);
    }

    private void add(Sample s, boolean peak) {
        Objects.requireNonNull(s, "sample");
        long index = taken++;
        last = s;
        if (peak) {
            for (int i = 0; i < peaks.length; i++) {
                peaks[i] = Math.max(peaks[i], s.states().get(STATES[i]));
            }
            peakSockstatTw = Math.max(peakSockstatTw, s.sockstat().tw());
        }
        if (stored.size() == maxSamples) {
            thin();
        }
        if (index % stride == 0) {
            stored.add(stride == 1 || stored.isEmpty() ? s : spacedFrom(stored.getLast(), s));
        }
    }

    // Stored samples are those whose index is a multiple of stride; keeping every other one leaves
    // the multiples of 2 * stride, so the rule "store index % stride == 0" stays true.
    private void thin() {
        int keep = 0;
        for (int i = 0; i < stored.size(); i += 2) {
            stored.set(keep, keep == 0 ? stored.get(i) : spacedFrom(stored.get(keep - 1), stored.get(i)));
            keep++;
        }
        stored.subList(keep, stored.size()).clear();
        stride *= 2;
    }

    /**
     * {@code s} with its interval made the time since {@code previous}, the row stored before it: a thinned
     * timeline's rows are strides apart, and rows 4 s apart that each said 1 s since the previous one, and a median
     * of 1 s, described samples no longer there (review, 2026-12-07). An unknown interval stays unknown.
     */
    private static Sample spacedFrom(Sample previous, Sample s) {
        if (s.intervalMicros() < 0) {
            return s;
        }
        return new Sample(s.epochMillis(), s.elapsedNanos(), s.states(), s.sockstat(), s.sampleMicros(),
                TimeUnit.NANOSECONDS.toMicros(s.elapsedNanos() - previous.elapsedNanos()));
    }

    /** Records a failed sample (the sampler keeps going); the first message is kept. */
    public synchronized void recordError(String message) {
        errors++;
        if (firstError == null) {
            firstError = message == null ? "unknown error" : message;
        }
    }

    /** The kind of source the samples come from. */
    public SourceKind source() {
        return source;
    }

    /**
     * The counts on the series' ports before its load began (a run's first connection): sockets an earlier run or
     * another client left there, which its peak and final counts include. Null when not read.
     */
    public synchronized void before(StateCounts counts) {
        before = counts;
    }

    /** Whose the final TIME_WAIT are: on the server's side (its local port one of the series' ports) and the client's. */
    public synchronized void finalTimeWaitSides(long server, long client) {
        finalTimeWaitSides = new long[] {server, client};
    }

    /** {server, client} TIME_WAIT at the end, or null when the source could not tell (it lists no sockets). */
    public synchronized long[] finalTimeWaitSides() {
        return finalTimeWaitSides == null ? null : finalTimeWaitSides.clone();
    }

    /** The counts before the load began, or null; see {@link #before(StateCounts)}. */
    public synchronized StateCounts before() {
        return before;
    }

    /**
     * A snapshot of the stored samples, oldest first, the last one taken in the last row: once thinned, the store keeps
     * every stride-th sample, and the last one taken (a run's final sample, after its sink closed: summary.json's
     * {@code states.final}) fell between them, so a long run's states.csv ended on a row its summary did not speak of
     * (review, 2026-12-07). It stands in for the stored row of its own stretch, so the rows are as many as
     * {@link #storedOf} says.
     */
    public synchronized List<Sample> samples() {
        return rows();
    }

    private List<Sample> rows() {
        if (last == null || stored.size() < 2 || stored.getLast().elapsedNanos() == last.elapsedNanos()) {
            return List.copyOf(stored);
        }
        List<Sample> rows = new ArrayList<>(stored);
        rows.set(rows.size() - 1, spacedFrom(rows.get(rows.size() - 2), last));
        return List.copyOf(rows);
    }

    /** How many samples are stored now (at most the cap). */
    public synchronized int size() {
        return stored.size();
    }

    /**
     * The first time the sampler could not keep its interval, and why; empty when every tick came
     * on time. A result that shows fewer samples than its interval promised says so with this.
     */
    public synchronized Optional<StateSampler.Stretch> stretch() {
        return Optional.ofNullable(stretch);
    }

    /**
     * The median of the stored samples' actual intervals in microseconds, or -1 with fewer than
     * two: the timeline's real resolution, whatever --interval asked for. Once the series has
     * thinned, a stored sample's interval is the time since the stored one before it.
     */
    public synchronized long medianIntervalMicros() {
        long[] intervals = rows().stream().mapToLong(Sample::intervalMicros).filter(i -> i >= 0).sorted().toArray();
        // The upper median, not the mean of the two middle ones: a short run's few intervals include the off-schedule
        // ones of its before and final samples, and with --interval 1s over 2 s the mean of the middle two read 527 ms
        // where the samples came every second (tried and taken back, 2026-12-07). results/README.md says so.
        return intervals.length == 0 ? -1 : intervals[intervals.length / 2];
    }

    /** Keeps the first stretch; later ones are the same story. */
    synchronized void recordStretch(StateSampler.Stretch s) {
        if (stretch == null) {
            stretch = Objects.requireNonNull(s, "stretch");
        }
    }

    /** One more sample whose cost put the next one off (the CPU budget). */
    synchronized void countPutOff() {
        putOff++;
    }

    /**
     * How many samples put the next one off to keep the sampler within its CPU budget: with the
     * samples taken, how much of a sparse timeline the budget explains (the rest is a busy machine).
     */
    public synchronized long putOffByBudget() {
        return putOff;
    }

    /** How many samples were taken, stored or thinned out. */
    public synchronized long samplesTaken() {
        return taken;
    }

    /**
     * How many samples a series capped at {@code maxSamples} stores after {@code taken} were added, and so how many
     * rows its CSV has: every one up to the cap, then every stride-th. For readers that check a saved CSV against the
     * {@link #samplesTaken} its run reported: a long run's file has fewer rows than samples, and a cut one must not
     * pass for it.
     */
    public static long storedOf(long taken, int maxSamples) {
        if (taken <= 0) {
            return 0;
        }
        // Stored are the indices that are multiples of the stride, so ceil(n / stride) of the first n; the store
        // thins (stride doubles) when it is full as a sample arrives, which the last arrival must not have found.
        long stride = 1;
        while (Math.ceilDiv(taken - 1, stride) >= maxSamples) {
            stride *= 2;
        }
        return Math.ceilDiv(taken, stride);
    }

    /** Every {@code stride()}-th sample taken is stored: 1 until the cap first thins the series. */
    public synchronized int stride() {
        return stride;
    }

    /** The most recent sample, if any. */
    public synchronized Optional<Sample> last() {
        return Optional.ofNullable(last);
    }

    /** The highest count of each state over every sample taken. */
    public synchronized StateCounts peaks() {
        StateCounts.Builder b = new StateCounts.Builder();
        for (int i = 0; i < peaks.length; i++) {
            b.add(STATES[i], peaks[i]);
        }
        return b.build();
    }

    /** The highest {@code sockstat tw} seen, or -1 when the kernel never gave one. */
    public synchronized long peakSockstatTw() {
        return peakSockstatTw;
    }

    /** How many samples failed. */
    public synchronized long errorCount() {
        return errors;
    }

    /** The message of the first failed sample, if any failed. */
    public synchronized Optional<String> firstError() {
        return Optional.ofNullable(firstError);
    }

    /** Writes the whole series as CSV: {@link #CSV_HEADER} then one row per stored sample. */
    public void writeCsv(Writer out) throws IOException {
        out.write(CSV_HEADER);
        out.write('\n');
        for (Sample s : samples()) {
            writeCsvRow(s, out);
        }
        out.flush();
    }

    /** Writes one CSV row (with its newline) for a sample, for writers that stream rows as they come. */
    public static void writeCsvRow(Sample s, Writer out) throws IOException {
        StringBuilder b = new StringBuilder(64);
        b.append(s.elapsedMillis());
        for (TcpState state : STATES) {
            b.append(',').append(s.states().get(state));
        }
        b.append(',');
        if (s.sockstat().tw() >= 0) {
            b.append(s.sockstat().tw());
        }
        b.append(',').append(s.sampleMicros()).append(',');
        if (s.intervalMicros() >= 0) {
            b.append(s.intervalMicros());
        }
        b.append('\n');
        out.write(b.toString());
    }

    /** Writes the whole series as JSON lines: one {@link #writeJsonLine} per stored sample. */
    public void writeJson(Writer out) throws IOException {
        for (Sample s : samples()) {
            writeJsonLine(s, out);
        }
        out.flush();
    }

    /** Writes one sample as one JSON object on one line (newline included), naming this series' source. */
    public void writeJsonLine(Sample s, Writer out) throws IOException {
        writeJsonLine(s, source, out);
    }

    /** Writes one sample from this kind of source as one JSON object on one line (newline included). */
    public static void writeJsonLine(Sample s, SourceKind source, Writer out) throws IOException {
        writeJsonLine(s, source, null, List.of(), out);
    }

    /**
     * Writes one sample as one JSON line with the {@code by} and {@code groups} fields of
     * {@link SocketGroupFormat} appended (none when {@code by} is null).
     */
    public static void writeJsonLine(Sample s, SourceKind source, List<GroupKey> by, List<SocketGroup> groups, Writer out)
            throws IOException {
        writeJsonLine(s, source, by, groups, null, null, out);
    }

    /**
     * Writes one sample as one JSON line with the {@code by}, {@code groups} and
     * {@code timeWaitRemaining} fields of {@link SocketGroupFormat} (none when {@code by} is null; no
     * histogram when {@code timeWait} is null) and the {@code headroom} field of
     * {@link HeadroomFormat} (none when {@code headroom} is null) appended.
     */
    public static void writeJsonLine(Sample s, SourceKind source, List<GroupKey> by, List<SocketGroup> groups,
            TimeWaitRemaining timeWait, Headroom headroom, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(linePrinter());
            g.writeStartObject();
            g.writeNumberField("time", s.epochMillis());
            g.writeStringField("source", source.label());
            g.writeObjectFieldStart("states");
            for (TcpState state : STATES) {
                g.writeNumberField(state.name(), s.states().get(state));
            }
            g.writeEndObject();
            g.writeObjectFieldStart("sockstat");
            writeKnown(g, "tw", s.sockstat().tw());
            writeKnown(g, "inuse", s.sockstat().inuse());
            writeKnown(g, "orphan", s.sockstat().orphan());
            g.writeEndObject();
            g.writeNumberField("sampleMicros", s.sampleMicros());
            writeKnown(g, "intervalMicros", s.intervalMicros());
            if (by != null) {
                SocketGroupFormat.writeJson(g, by, groups, timeWait);
            }
            if (headroom != null) {
                HeadroomFormat.writeJson(g, headroom);
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeKnown(JsonGenerator g, String field, long value) throws IOException {
        if (value >= 0) {
            g.writeNumberField(field, value);
        } else {
            g.writeNullField(field);
        }
    }

    // One line, with a space after ':' and ',' as the documented format shows.
    private static DefaultPrettyPrinter linePrinter() {
        Separators seps = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(Separators.Spacing.AFTER)
                .withArrayValueSpacing(Separators.Spacing.AFTER);
        DefaultPrettyPrinter p = new DefaultPrettyPrinter(seps);
        p.indentObjectsWith(DefaultPrettyPrinter.NopIndenter.instance);
        p.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
        return p;
    }

    private static String csvHeader() {
        StringBuilder b = new StringBuilder("t_ms");
        for (TcpState s : TcpState.values()) {
            b.append(',').append(s.name());
        }
        return b.append(",sockstat_tw,sample_us,interval_us").toString();
    }
}
