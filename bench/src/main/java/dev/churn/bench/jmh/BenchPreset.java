package dev.churn.bench.jmh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How much of the suite {@code churn bench} runs, and for how long: iterations and times per run,
 * and the {@code -p} parameter values (a benchmark ignores the ones it does not have).
 *
 * @param forks       JVM forks per configuration
 * @param warmups     warm-up iterations
 * @param warmupTime  time of one warm-up iteration (not used by SingleShotTime)
 * @param iterations  measured iterations
 * @param time        time of one measured iteration (not used by SingleShotTime)
 * @param params      parameter values; empty: the values the annotations list
 */
public record BenchPreset(String name, int forks, int warmups, TimeValue warmupTime, int iterations, TimeValue time,
                          Map<String, String[]> params) {

    /**
     * Seconds per configuration, every benchmark method once, for CI: one fork, no warm-up, one short
     * iteration, and the smallest parameter set that still shows both sides of TIME_WAIT (server
     * closes with linger off, and linger 0).
     */
    public static final BenchPreset SMOKE = new BenchPreset("smoke", 1, 0, TimeValue.milliseconds(200), 1,
            TimeValue.milliseconds(300), ordered(
                    "transport", new String[] {"blocking"},
                    "linger", new String[] {"off", "0"},
                    "reuseAddr", new String[] {"false"},
                    "reusePort", new String[] {"false"},
                    "closer", new String[] {"server"},
                    "family", new String[] {"ipv4"},
                    "n", new String[] {"1000"},
                    "source", new String[] {"netlink"},
                    "scope", new String[] {"port"},
                    "timeWait", new String[] {"1000"},
                    "tls", new String[] {"1.3"},
                    "resume", new String[] {"false"}));

    /** A few minutes: the annotations' default parameters, one warm-up and three 1 s iterations, a lighter monitor seed. */
    public static final BenchPreset QUICK = new BenchPreset("quick", 1, 1, TimeValue.seconds(1), 3, TimeValue.seconds(1),
            ordered("timeWait", new String[] {"5000"}));

    /**
     * Everything: every transport, linger, SO_REUSEADDR, SO_REUSEPORT, closer and family of the
     * connect/close cycle (288 configurations for each of its two benchmark methods), with the suite's other
     * benchmarks (627 configurations in all, as churn bench says), three warm-ups and five iterations each. Hours.
     */
    public static final BenchPreset FULL = new BenchPreset("full", 1, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1),
            ordered(
                    "transport", new String[] {"blocking", "nio", "virtual", "selector", "raw", "epoll"},
                    "linger", new String[] {"off", "0", "1"},
                    "reuseAddr", new String[] {"false", "true"},
                    "reusePort", new String[] {"false", "true"},
                    "closer", new String[] {"client", "server"},
                    "family", new String[] {"ipv4", "ipv6"}));

    /** JMH options after {@code --} that change how long and how often a configuration is measured. */
    private static final Set<String> TIMING_OPTIONS = Set.of("-wi", "-i", "-w", "-r", "-f");

    /**
     * What a reader of this preset's scores must know, or null: smoke's are cold (the TLS handshake's first hundred
     * milliseconds, say), not to be quoted. Under the table and in summary.txt, which left it out (QA, 2026-12-06).
     * With JMH timing options of the user's own ({@code jmhArgs}), its settings are not said: they may not be smoke's.
     */
    public String caution(List<String> jmhArgs) {
        if (this != SMOKE) {
            return null;
        }
        boolean own = jmhArgs != null && jmhArgs.stream().anyMatch(TIMING_OPTIONS::contains);
        return (own ? "smoke, with JMH timing options of your own after --" : "smoke runs each configuration once, cold (no"
                + " warm-up, one " + time() + " iteration)") + ": it shows every benchmark runs; quote quick's or full's scores";
    }

    /** The preset of this name: smoke, quick or full. */
    public static BenchPreset named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> SMOKE;
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("--preset must be smoke, quick or full, got '" + name + "'");
        };
    }

    private static Map<String, String[]> ordered(Object... pairs) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (String[]) pairs[i + 1]);
        }
        return m;
    }
}
