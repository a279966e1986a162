package dev.churn.cli;

import dev.churn.monitor.Sample;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.Sockstat;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.TcpState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders what {@code churn monitor --format table} shows for one sample: a block with every
 * state's count and peak, the TIME_WAIT rate, sparklines of TIME_WAIT and CLOSE_WAIT over the last
 * minute, sockstat and the sample's cost ({@link #render}); or, when output is not a terminal, one
 * plain line per sample ({@link #renderLine}). Pure string work, so it is tested without a terminal.
 */
public final class StateTableView {

    /** How far back the sparklines and the history a caller keeps reach. */
    public static final Duration HISTORY = Duration.ofMinutes(1);

    /** Characters in a sparkline. */
    public static final int SPARK_WIDTH = 60;

    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final SourceKind source;
    private final SocketFilter filter;
    private final Duration interval;
    private final ZoneId zone;

    /**
     * A view of samples from this source and filter, taken at this interval (null for a single
     * sample, as with --once), with times in the system zone.
     */
    public StateTableView(SourceKind source, SocketFilter filter, Duration interval) {
        this(source, filter, interval, ZoneId.systemDefault());
    }

    /** A view showing times in this zone. */
    public StateTableView(SourceKind source, SocketFilter filter, Duration interval, ZoneId zone) {
        this.source = source;
        this.filter = filter;
        this.interval = interval;
        this.zone = zone;
    }

    /** One line naming the source, the filter and the interval: the title of the table or of the lines. */
    public String title() {
        // --once takes one sample: naming the default interval would say it samples on.
        return "churn monitor · source " + source.label() + " · " + describe(filter) + " · "
                + (interval == null ? "one sample" : "every " + DurationConverter.format(interval));
    }

    /** "ports 80, 443 · family all", or "all ports · family ipv4". */
    public static String describe(SocketFilter filter) {
        String ports = filter.allPorts()
                ? "all ports"
                : (filter.ports().length == 1 ? "port " : "ports ")
                        + Arrays.stream(filter.ports()).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return ports + " · family " + filter.family().name().toLowerCase(Locale.ROOT);
    }

    /**
     * The block for this sample. {@code history} holds the recent samples oldest first, ending with
     * {@code now}; {@code peaks} the peaks since the start; with {@code ansi}, non-zero states are bold.
     */
    public String render(Sample now, List<Sample> history, StateCounts peaks, long errors, boolean ansi) {
        return render(now, history, peaks, errors, ansi, Double.NaN);
    }

    /**
     * As above, with the rate at which sockets entered TIME_WAIT (the kernel's TW counter, per second; NaN when not
     * read). The TIME_WAIT rate is the count's net change: under a steady churn that takes ports over it reads +0.0/s
     * while 32,000 a second enter and leave, and an SRE read that as no churn (QA, 2026-12-06).
     */
    public String render(Sample now, List<Sample> history, StateCounts peaks, long errors, boolean ansi, double entered) {
        return render(now, history, peaks, errors, ansi, entered, false);
    }

    /** As above; {@code withKilled}: TWKilled moved too, and is in {@code entered} (see {@link TimeWaitEntries}). */
    String render(Sample now, List<Sample> history, StateCounts peaks, long errors, boolean ansi, double entered,
                  boolean withKilled) {
        StringBuilder b = new StringBuilder(1024);
        b.append(title()).append('\n');
        b.append(clock(now)).append("  t+").append(seconds(now.elapsedNanos())).append("  sample cost ")
                .append(StateSampler.Stretch.readable(Duration.ofNanos(now.sampleMicros() * 1_000L)));
        if (errors > 0) {
            b.append("  failed samples ").append(errors);
        }
        b.append("\n\n");
        b.append(String.format(Locale.ROOT, "%-12s %10s %10s%n", "STATE", "NOW", "PEAK"));
        for (TcpState s : TcpState.values()) {
            long n = now.get(s);
            String row = String.format(Locale.ROOT, "%-12s %10d %10d", s.name(), n, peaks.get(s));
            b.append(ansi && n != 0 ? BOLD + row + RESET : row).append('\n');
        }
        b.append('\n');
        String rate = rateText(timeWaitRate(now, history));
        b.append(sparkRow(TcpState.TIME_WAIT, rate, history));
        b.append(sparkRow(TcpState.CLOSE_WAIT, "", history));
        if (!Double.isNaN(entered)) {
            b.append(String.format(Locale.ROOT, "%-12s %-10s (the kernel's %s, whole namespace; TIME_WAIT's is net)%n",
                    "tw entered", String.format(Locale.ROOT, "%,.0f/s", entered),
                    withKilled ? "TW + TWKilled counters" : "TW counter"));
        }
        b.append(sockstatRow(now.sockstat()));
        return b.toString();
    }

    /** One plain line for this sample: time, all eleven counts, TIME_WAIT rate, sockstat tw, cost. */
    public String renderLine(Sample now, List<Sample> history) {
        return renderLine(now, history, Double.NaN);
    }

    /** As above, with TIME_WAIT entered per second ({@code tw_entered}, the kernel's TW counter) at the end when read. */
    public String renderLine(Sample now, List<Sample> history, double entered) {
        StringBuilder b = new StringBuilder(256);
        b.append(clock(now));
        for (TcpState s : TcpState.values()) {
            b.append(' ').append(s.name()).append('=').append(now.get(s));
        }
        b.append(" tw_rate=").append(rateText(timeWaitRate(now, history)));
        long tw = now.sockstat().tw();
        b.append(" sockstat_tw=").append(tw >= 0 ? Long.toString(tw) : "-");
        b.append(" sample_us=").append(now.sampleMicros());
        if (!Double.isNaN(entered)) {
            b.append(" tw_entered=").append(String.format(Locale.ROOT, "%.1f/s", entered));
        }
        return b.toString();
    }

    /**
     * TIME_WAIT sockets gained (or lost) per second, over about the last second of history (or the
     * last interval when it is longer); NaN when history has no earlier sample.
     */
    public static double timeWaitRate(Sample now, List<Sample> history) {
        Sample then = null;
        // 0.9 s, not 1: a sample a second before, a few µs late, missed the mark, and the rate was taken over two
        // seconds, half the rise of the last one at --interval 1s (10,691 gained read +5,347.1/s; 2026-12-06).
        long since = now.elapsedNanos() - 900_000_000L;
        for (int i = history.size() - 1; i >= 0; i--) {
            Sample s = history.get(i);
            if (s.elapsedNanos() >= now.elapsedNanos()) {
                continue;
            }
            then = s;
            if (s.elapsedNanos() <= since) {
                break;
            }
        }
        if (then == null) {
            return Double.NaN;
        }
        double seconds = (now.elapsedNanos() - then.elapsedNanos()) / 1e9;
        return (now.get(TcpState.TIME_WAIT) - then.get(TcpState.TIME_WAIT)) / seconds;
    }

    /** Moves the cursor home, draws the block clearing each line's tail, and clears what is below. */
    public static String redrawInPlace(String block) {
        StringBuilder b = new StringBuilder(block.length() + 128).append("\u001b[H");
        block.lines().forEach(line -> b.append(line).append("\u001b[K\n"));
        return b.append("\u001b[J").toString();
    }

    private String sparkRow(TcpState state, String rate, List<Sample> history) {
        long[] values = history.stream().mapToLong(s -> s.get(state)).toArray();
        long max = Arrays.stream(values).max().orElse(0);
        String spark = values.length == 0 ? "" : Sparkline.of(values, SPARK_WIDTH);
        return String.format(Locale.ROOT, "%-12s %-10s %s  (last %ds, max %d)%n", state.name(), rate, spark,
                HISTORY.toSeconds(), max);
    }

    private static String sockstatRow(Sockstat st) {
        if (st.tw() < 0) {
            return "sockstat     not available\n";
        }
        return "sockstat     tw " + st.tw() + "  inuse " + st.inuse() + "  orphan " + st.orphan()
                + "  (whole namespace, every port)\n";
    }

    private static String rateText(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%+.1f/s", perSecond);
    }

    private String clock(Sample s) {
        return CLOCK.format(Instant.ofEpochMilli(s.epochMillis()).atZone(zone));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
