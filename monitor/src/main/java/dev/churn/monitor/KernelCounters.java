package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's TCP counters: the {@code Tcp:} lines of {@code <procRoot>/net/snmp} (ActiveOpens,
 * PassiveOpens, AttemptFails, EstabResets, CurrEstab, OutRsts, ...) and the {@code TcpExt:} lines
 * of {@code <procRoot>/net/netstat} (TW, TWRecycled, TWKilled, TCPTimeWaitOverflow,
 * ListenOverflows, ListenDrops, TCPAbortOnData, TCPAbortOnClose, ...), keyed by the kernel's names
 * without the prefix, in file order. Read one before and one after a run and take
 * {@code after.minus(before)}. The counters cover the whole network namespace, IPv4 and IPv6
 * together, and are never per port: other processes' connections are in them too.
 *
 * @param values counter name to value, in the order the files list them
 */
public record KernelCounters(Map<String, Long> values) {

    /** No counters: what a system without these files gives. */
    public static final KernelCounters EMPTY = new KernelCounters(Map.of());

    /**
     * Values that are not event counts, so a delta keeps the later value: CurrEstab (a gauge of
     * sockets now ESTABLISHED or CLOSE_WAIT) and the constants RtoAlgorithm, RtoMin, RtoMax and
     * MaxConn. Every other Tcp: and TcpExt: value counts events since boot. This set is the one
     * place that decides: {@link #kindOf} answers from it, and what shows a run's counters (summary
     * table, report, compare) shows gauges apart from deltas through it.
     */
    public static final Set<String> GAUGES = Set.of("CurrEstab", "MaxConn", "RtoAlgorithm", "RtoMin", "RtoMax");

    /**
     * The counters a run's table shows, in this order, +0 included (the rest are in summary.json): the report lists
     * them the same way, so a 0 there is told from a counter not measured.
     */
    public static final List<String> HEADLINE = List.of("ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets",
            "TW", "TWKilled", "TWRecycled", "TCPTimeWaitOverflow", "ListenOverflows", "ListenDrops", "TCPAbortOnData",
            "OutRsts");
    /**
     * Of {@link #HEADLINE}, those shown only when they moved. TWKilled counts the timewait sockets made with 4 s or less
     * to live (an orphaned FIN_WAIT2 under tcp_fin_timeout 4 or less), which TW then does not: a run with
     * tcp_fin_timeout=3 said TW +58 beside 3,000 TIME_WAIT left, and nothing it showed accounted for the rest (QA,
     * 2026-12-06).
     */
    public static final Set<String> HEADLINE_WHEN_MOVED = Set.of("TWKilled");

    /** What a value of /proc/net/snmp or /proc/net/netstat is. */
    public enum Kind {
        /** Counts events since boot: meaningful as a difference over a run. */
        COUNTER,
        /** A level or a constant (CurrEstab, RtoMax ...): meaningful as a value, never as a difference. */
        GAUGE
    }

    /** The kind of the named value; unknown names are counters, as nearly everything in these files is. */
    public static Kind kindOf(String name) {
        return GAUGES.contains(name) ? Kind.GAUGE : Kind.COUNTER;
    }

    /** Only the values of this kind, in the same order. */
    public KernelCounters only(Kind kind) {
        Map<String, Long> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (kindOf(k) == kind) {
                m.put(k, v);
            }
        });
        return new KernelCounters(m);
    }

    public KernelCounters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Reads {@code procRoot/net/snmp} and {@code procRoot/net/netstat} now; a missing file adds no
     * counters rather than failing, so off Linux this is {@link #EMPTY}.
     */
    public static KernelCounters read(Path procRoot) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        readPairs(procRoot.resolve("net").resolve("snmp"), "Tcp:", values);
        readPairs(procRoot.resolve("net").resolve("netstat"), "TcpExt:", values);
        return new KernelCounters(values);
    }

    /** True when the kernel gave this counter. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The counter's value, or -1 when absent; MaxConn is -1 by nature ("no limit"), so use
     * {@link #has} when absence matters.
     */
    public long get(String name) {
        Long v = values.get(name);
        return v == null ? -1 : v;
    }

    /**
     * What happened between {@code before} and this: this value minus the earlier one for every
     * counter present in both, and this value as-is for the {@link #GAUGES} (CurrEstab, MaxConn,
     * ...), which are not counts of events.
     */
    public KernelCounters minus(KernelCounters before) {
        Map<String, Long> delta = new LinkedHashMap<>();
        values.forEach((name, now) -> {
            if (kindOf(name) == Kind.GAUGE) {
                delta.put(name, now);
            } else if (before.has(name)) {
                delta.put(name, now - before.values.get(name));
            }
        });
        return new KernelCounters(delta);
    }

    /**
     * Adds the pairs of a header line and a value line that both start with {@code prefix}; a name
     * already present (from an earlier file) keeps its first value, and unparsable values are left out.
     */
    private static void readPairs(Path file, String prefix, Map<String, Long> into) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return;
        }
        for (int i = 0; i + 1 < lines.size(); i++) {
            String header = lines.get(i);
            String row = lines.get(i + 1);
            if (!header.startsWith(prefix) || !row.startsWith(prefix)) {
                continue;
            }
            String[] names = Words.of(header.substring(prefix.length()));
            String[] numbers = Words.of(row.substring(prefix.length()));
            for (int k = 0; k < Math.min(names.length, numbers.length); k++) {
                try {
                    into.putIfAbsent(names[k], Long.parseLong(numbers[k]));
                } catch (NumberFormatException e) {
                    // a value beyond a signed long or a garbled field: leave that counter out
                }
            }
            return;
        }
    }
}
