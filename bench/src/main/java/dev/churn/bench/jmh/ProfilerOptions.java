package dev.churn.bench.jmh;

import dev.churn.monitor.SourceKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The options of {@link TcpStateProfiler}, given after a colon:
 * {@code -prof dev.churn.bench.jmh.TcpStateProfiler:interval=5ms;ports=8080+8443;source=proc}.
 * Pairs are separated by {@code ;}, ports by {@code +} or {@code ,}.
 *
 * @param interval time between two samples of the socket table (1 ms .. 10 s; default 10 ms), longer when a
 *                 sample costs more than 5% of it in CPU (the sampler's budget)
 * @param ports    ports watched in addition to the ones the benchmark registers
 * @param source   the state source: auto (netlink on Linux), netlink, proc or oshi
 */
public record ProfilerOptions(Duration interval, int[] ports, SourceKind source) {

    /** 10 ms samples, the benchmark's own ports, the best source. */
    public static final ProfilerOptions DEFAULTS = new ProfilerOptions(Duration.ofMillis(10), new int[0], SourceKind.AUTO);

    /** What {@code -lprof} and errors show. */
    public static final String HELP = "options after ':' as key=value pairs separated by ';': "
            + "interval=10ms (1ms..10s), ports=P1+P2 (watched besides the benchmark's own), source=auto|netlink|proc|oshi";

    public ProfilerOptions {
        if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("interval must be 1ms..10s, got " + interval.toMillis() + "ms");
        }
        ports = ports.clone();
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("ports must be 1..65535, got " + p);
            }
        }
    }

    @Override
    public int[] ports() {
        return ports.clone();
    }

    /** Parses the text after the colon; null or blank gives the defaults. */
    public static ProfilerOptions parse(String line) {
        ProfilerOptions o = DEFAULTS;
        if (line == null || line.isBlank()) {
            return o;
        }
        for (String pair : line.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + pair.strip() + "' is not key=value; " + HELP);
            }
            String key = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = pair.substring(eq + 1).strip();
            o = switch (key) {
                case "interval" -> new ProfilerOptions(duration(value), o.ports, o.source);
                case "ports" -> new ProfilerOptions(o.interval, ports(value), o.source);
                case "source" -> new ProfilerOptions(o.interval, o.ports, source(value));
                default -> throw new IllegalArgumentException("unknown option '" + key + "'; " + HELP);
            };
        }
        return o;
    }

    /** "10ms", "2s", "500us", or a bare number of milliseconds. */
    static Duration duration(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("us")) {
                return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2)) * 1_000);
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("interval must look like 10ms, 1s or 500us, got '" + s + "'");
        }
    }

    private static int[] ports(String s) {
        try {
            return Arrays.stream(s.split("[+,]")).filter(p -> !p.isBlank()).mapToInt(p -> Integer.parseInt(p.strip())).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ports must be numbers separated by '+', got '" + s + "'");
        }
    }

    private static SourceKind source(String s) {
        try {
            return SourceKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source must be auto, netlink, proc or oshi, got '" + s + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfilerOptions p && interval.equals(p.interval) && Arrays.equals(ports, p.ports) && source == p.source;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * interval.hashCode() + Arrays.hashCode(ports)) + source.hashCode();
    }

    @Override
    public String toString() {
        return "ProfilerOptions[interval=" + interval + ", ports=" + Arrays.toString(ports) + ", source=" + source + "]";
    }
}
