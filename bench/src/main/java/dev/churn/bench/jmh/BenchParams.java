package dev.churn.bench.jmh;

import dev.churn.bench.config.Linger;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.monitor.TimeWaitBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.options.Options;

/**
 * The suite's {@code -p name=value} checked before JMH starts. A value a benchmark refuses in its
 * setup failed inside a forked JVM, after the configurations before it, as "Benchmark caught the
 * exception"; a name no benchmark has was ignored by JMH, and the run measured the defaults. Both
 * are bad input, said in one line before any work. Each value goes through the parser the
 * benchmarks themselves use.
 */
final class BenchParams {

    private static final Map<String, Consumer<String>> CHECKS = Map.ofEntries(
            Map.entry("transport", CycleSetup::transport),
            Map.entry("closer", CycleSetup::closer),
            Map.entry("linger", Linger::parse),
            Map.entry("family", CycleSetup::ipv6),
            Map.entry("source", CycleSetup::source),
            Map.entry("scope", CycleSetup::scopeIsPort),
            Map.entry("tls", TlsVersion::parse),
            Map.entry("key", TlsKeyType::parse),
            Map.entry("resume", BenchParams::bool),
            Map.entry("reuseAddr", BenchParams::bool),
            Map.entry("reusePort", BenchParams::bool),
            Map.entry("n", v -> whole(v, 1)),
            Map.entry("timeWait", BenchParams::timeWait));

    /**
     * Descriptors a BurstBenchmark fork needs beyond its sockets: the JVM's own (jars, pipes, its
     * epoll), the sink's listener and loops. A fork of the suite had about 40 open before its first.
     */
    static final long BURST_SLACK = 256;

    private BenchParams() {}

    /**
     * IllegalArgumentException, one line naming the parameter: for a value a benchmark of {@code selected}
     * would refuse, or for a name in {@code jmhArgs} that no benchmark of the suite ({@code all}) has, or none
     * of {@code selected}.
     */
    static void check(Options opts, Collection<BenchmarkListEntry> selected, Collection<BenchmarkListEntry> all,
            List<String> jmhArgs) {
        TreeSet<String> known = new TreeSet<>();
        for (BenchmarkListEntry e : all) {
            if (e.getParams().hasValue()) {
                known.addAll(e.getParams().get().keySet());
            }
        }
        TreeSet<String> chosen = new TreeSet<>();
        for (BenchmarkListEntry e : selected) {
            if (e.getParams().hasValue()) {
                chosen.addAll(e.getParams().get().keySet());
            }
        }
        for (String name : givenNames(jmhArgs)) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("-p " + name + ": no benchmark of the suite has that parameter; they have "
                        + String.join(", ", known));
            }
            if (!chosen.contains(name)) {
                // JMH ignores it just the same: --include Crr -- -p closer=client measured CRR's defaults (QA, 2026-12-06).
                throw new IllegalArgumentException("-p " + name + ": none of the benchmarks chosen has that parameter; they have "
                        + (chosen.isEmpty() ? "none" : String.join(", ", chosen)));
            }
        }
        for (BenchmarkListEntry e : selected) {
            if (!e.getParams().hasValue()) {
                continue;
            }
            for (String name : e.getParams().get().keySet()) {
                var given = opts.getParameter(name);
                Consumer<String> check = CHECKS.get(name);
                if (!given.hasValue() || check == null) {
                    continue;
                }
                for (String v : given.get()) {
                    try {
                        check.accept(v);
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException("-p " + name + "=" + v + ": " + ex.getMessage());
                    }
                }
            }
        }
    }

    /**
     * The names of the {@code -p name=value} options in JMH's arguments ({@code -p x=1} or {@code -px=1}):
     * JMH's Options answers for a name asked, but cannot list the names given.
     */
    static List<String> givenNames(List<String> jmhArgs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < jmhArgs.size(); i++) {
            String a = jmhArgs.get(i);
            String spec = a.equals("-p") && i + 1 < jmhArgs.size() ? jmhArgs.get(++i)
                    : a.startsWith("-p") && a.length() > 2 ? a.substring(2) : null;
            if (spec != null && spec.indexOf('=') > 0) {
                names.add(spec.substring(0, spec.indexOf('=')));
            }
        }
        return names;
    }

    /**
     * A TIME_WAIT seed the kernel can hold: past net.ipv4.tcp_max_tw_buckets it drops new TIME_WAIT
     * sockets, and the seeding never reaches its target (-p timeWait=5000000 seeded for minutes).
     */
    private static void timeWait(String v) {
        whole(v, 0);
        long buckets = maxTimeWaitBuckets();
        if (Long.parseLong(v) > buckets) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the kernel keeps at most %,d TIME_WAIT sockets"
                    + " here (net.ipv4.tcp_max_tw_buckets), and drops the rest: the seed could never be reached", buckets));
        }
    }

    static long maxTimeWaitBuckets() {
        try {
            long max = TimeWaitBudget.read().max();
            return max < 0 ? Long.MAX_VALUE : max; // not Linux, or hidden: the benchmark says what it met
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The BurstBenchmark sizes ({@code n}) whose connections fit this process's descriptors with every
     * closer chosen: with closer=server the sink closes each as it accepts it (a descriptor per
     * connection), otherwise it holds its end too (two); each of the fork's {@code threads} holds a
     * burst of its own. {@code ns} and {@code closers} are the configurations' values;
     * IllegalArgumentException when none fits, or when one does not and {@code given} (the user chose
     * the sizes, so leaving one out would not be what was asked).
     */
    static List<String> burstSizesThatFit(List<String> ns, List<String> closers, long openFiles, boolean given, int threads) {
        long perConnection = (closers.stream().allMatch(c -> c.equalsIgnoreCase("server")) ? 1 : 2) * (long) threads;
        List<String> fit = new ArrayList<>();
        for (String n : ns) {
            long need = Long.parseLong(n) * perConnection + BURST_SLACK;
            if (need <= openFiles) {
                fit.add(n);
            } else if (given || ns.size() == 1) {
                boolean both = perConnection / threads == 2;
                throw new IllegalArgumentException(String.format(Locale.ROOT, "-p n=%s: BurstBenchmark holds %,d sockets"
                        + " at once with closer=%s (%s%s), and %,d of the JVM's own, where this process may open %,d"
                        + " (ulimit -n): give a smaller n%s%s, or raise ulimit -n",
                        n, Long.parseLong(n) * perConnection, String.join(",", closers),
                        both ? "both ends of each connection" : "one per connection",
                        threads > 1 ? ", in each of " + threads + " threads" : "", BURST_SLACK, openFiles,
                        both ? ", -p closer=server" : "", threads > 1 ? ", fewer threads" : ""));
            }
        }
        if (fit.isEmpty()) {
            throw new IllegalArgumentException("-p n: no BurstBenchmark size fits ulimit -n " + openFiles);
        }
        return fit;
    }

    private static void bool(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
    }

    private static void whole(String v, long min) {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= Integer.MAX_VALUE) {
                return;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("must be a whole number from " + min + " to " + Integer.MAX_VALUE);
    }
}
