package dev.churn.cli;

import dev.churn.bench.result.ChurnBuild;
import dev.churn.monitor.AddressFamily;
import dev.churn.monitor.Destination;
import dev.churn.monitor.GroupingSource;
import dev.churn.monitor.Headroom;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.Sample;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.TcpState;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /metrics} for {@code churn monitor --listen}: serves the last sample the monitor's
 * {@link dev.churn.monitor.StateSampler} took, so a scrape only formats numbers and never walks the
 * kernel's socket table; sampling stays at --interval and within the sampler's CPU budget however
 * often Prometheus scrapes. Metrics:
 * <ul>
 *   <li>{@code churn_tcp_sockets{state}}: all eleven states, zeros included; with --port one series
 *       per state and port (a socket whose local and remote ports are both given counts under each),
 *       so the cardinality is bounded by what the user named;</li>
 *   <li>{@code churn_tcp_sockstat_timewait}: the namespace's timewait mini-sockets from sockstat (TIME_WAIT and
 *       orphaned FIN_WAIT2);</li>
 *   <li>{@code churn_tcp_kernel_<name>}: the Tcp: and TcpExt: values of /proc/net/snmp and netstat,
 *       in snake case, counters ({@code _total}) or gauges as {@link KernelCounters#kindOf} says;</li>
 *   <li>{@code churn_tcp_destination_ports_used{local,remote}} and
 *       {@code churn_tcp_destination_ports_available{local,remote}}: with --headroom only, for the
 *       --top fullest destinations (so at most --top series each); {@code local} keeps two local
 *       addresses calling the same remote apart;</li>
 *   <li>{@code churn_monitor_sample_seconds}: what the last sample cost.</li>
 * </ul>
 * {@link #record} runs on the sampling thread; a scrape reads one immutable {@link Reading}.
 */
final class PrometheusEndpoint implements MultiCollector, AutoCloseable {

    private static final ChurnBuild BUILD = ChurnBuild.current();


    /** One sample's figures, as a scrape serves them. */
    private record Reading(Map<Integer, StateCounts> perPort, long timeWait, KernelCounters kernel, double sampleSeconds,
                           List<Destination> destinations) {}

    private final List<Integer> ports;
    private final AddressFamily family;
    private final StateSource source;
    private final Path procRoot;
    private final HTTPServer server;
    private final ExecutorService executor;
    private volatile Reading last;

    private static final String MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";
    /**
     * The exporter logs a scraper that went away mid-response as SEVERE with a 30-line stack trace, one per scrape:
     * 545 lines on the terminal after a test of 200 impatient scrapers. Not the monitor's fault, nor news; held here
     * so the level set stays (java.util.logging keeps loggers weakly).
     */
    private static final Logger EXPORTER_LOG = Logger.getLogger("io.prometheus.metrics.exporter.httpserver");

    static {
        EXPORTER_LOG.setLevel(Level.OFF);
    }

    private PrometheusEndpoint(List<Integer> ports, AddressFamily family, StateSource source, Path procRoot,
                               ListenAddress at) throws IOException {
        this.ports = List.copyOf(ports);
        this.family = family;
        this.source = source;
        this.procRoot = procRoot;
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(this);
        // A virtual thread per exchange (daemon: a scrape in flight never keeps the JVM from ending at Ctrl-C). The JDK's
        // server reads a request's headers on the executor, so two clients sending a header line every 5 s held both
        // threads of the pool of 2 this was, and every scrape timed out for as long as they kept on (QA, 2026-12-06).
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("churn-metrics-", 0).factory());
        // ... and a request not read whole within this many seconds is dropped, so such a client holds nothing for
        // long. Read once, when the JDK's server is first made; one the user set is kept.
        if (System.getProperty(MAX_REQUEST_SECONDS) == null) {
            System.setProperty(MAX_REQUEST_SECONDS, "10");
        }
        try {
            this.server = HTTPServer.builder()
                    .inetAddress(at.address())
                    .port(at.port())
                    .registry(registry)
                    .executorService(executor)
                    .defaultHandler(PrometheusEndpoint::notHere)
                    .buildAndStart();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /**
     * Serves /metrics at {@code at}; UsageException (exit 2, one line) when the address cannot be
     * bound (in use, not this host's).
     */
    static PrometheusEndpoint start(ListenAddress at, List<Integer> ports, AddressFamily family, StateSource source,
                                    Path procRoot) {
        try {
            return new PrometheusEndpoint(ports, family, source, procRoot, at);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (e.getCause() != null && e.getCause().getMessage() != null) {
                why = e.getCause().getMessage();
            }
            throw new UsageException("--listen: cannot serve on " + at.authority(at.port()) + ": " + why);
        }
    }

    /**
     * Every path but /metrics (and the exporter's /-/healthy): 404 and where the metrics are. The exporter's own default
     * answered the metrics at / and at any path under it, and a mistyped scrape path looked right (QA, 2026-12-07).
     */
    private static void notHere(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            byte[] body = "churn monitor serves its metrics at /metrics\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
            ex.sendResponseHeaders(404, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** The port it serves on (the kernel's choice for port 0). */
    int port() {
        return server.getPort();
    }

    /**
     * Keeps this sample for the scrapes to come. With one --port (or none) the sample's counts are
     * the series; with several, each port is counted apart, one more count per port per sample.
     * The kernel counters are read here too (two small proc files), not at scrape time.
     */
    void record(Sample s) {
        Map<Integer, StateCounts> perPort = new LinkedHashMap<>();
        GroupingSource grouping = source instanceof GroupingSource g ? g : null;
        Headroom headroom = grouping == null ? null : grouping.lastHeadroom();
        if (ports.size() <= 1) {
            perPort.put(ports.isEmpty() ? null : ports.getFirst(), s.states());
        } else {
            // The plain count of the source underneath: a grouping source would dump every socket
            // again and replace the groups and headroom of the sample the output is about to write.
            StateSource counter = grouping == null ? source : grouping.source();
            for (int p : ports) {
                try {
                    perPort.put(p, counter.count(SocketFilter.ports(p).withFamily(family)));
                } catch (IOException e) {
                    // The sampler just counted with the same source; a failure now leaves this port
                    // out of this reading rather than serving a stale or wrong figure.
                }
            }
        }
        KernelCounters kernel;
        try {
            kernel = KernelCounters.read(procRoot);
        } catch (IOException e) {
            kernel = KernelCounters.EMPTY;
        }
        last = new Reading(perPort, s.sockstat().tw(), kernel, s.sampleMicros() / 1e6,
                headroom == null ? null : headroom.shown());
    }

    @Override
    public MetricSnapshots collect() {
        Reading r = last;
        if (r == null) {
            return new MetricSnapshots(); // before the first sample: nothing rather than zeros that are not true
        }
        List<MetricSnapshot> out = new ArrayList<>();
        // Which churn serves these figures: a dashboard can tell a build change from a behaviour change.
        out.add(InfoSnapshot.builder().name("churn_build").help("The churn build serving these metrics")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", BUILD.version(),
                        "commit", BUILD.commit(), "dirty", BUILD.dirty() == null ? "unknown" : BUILD.dirty().toString()))
                        .build())
                .build());
        GaugeSnapshot.Builder sockets = GaugeSnapshot.builder().name("churn_tcp_sockets")
                .help("TCP sockets per state; with --port, those whose local or remote port is port");
        r.perPort().forEach((port, counts) -> {
            for (TcpState st : TcpState.values()) {
                Labels labels = port == null ? Labels.of("state", st.name())
                        : Labels.of("port", Integer.toString(port), "state", st.name());
                sockets.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(labels).value(counts.get(st)).build());
            }
        });
        out.add(sockets.build());
        if (r.timeWait() >= 0) {
            out.add(gauge("churn_tcp_sockstat_timewait",
                    "Timewait mini-sockets of the network namespace (/proc/net/sockstat tw): TIME_WAIT and orphaned FIN_WAIT2",
                    r.timeWait()));
        }
        Map<String, String> seen = new LinkedHashMap<>();
        r.kernel().values().forEach((name, value) -> {
            String metric = "churn_tcp_kernel_" + snakeCase(name);
            if (seen.putIfAbsent(metric, name) != null) {
                return; // two kernel names that fold to one metric name: keep the first
            }
            String help = "The kernel's TCP value " + name + " (/proc/net/snmp Tcp: or /proc/net/netstat TcpExt:)";
            if (KernelCounters.kindOf(name) == KernelCounters.Kind.GAUGE) {
                out.add(gauge(metric, help, value));
            } else {
                out.add(CounterSnapshot.builder().name(metric).help(help)
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build());
            }
        });
        if (r.destinations() != null) {
            GaugeSnapshot.Builder used = GaugeSnapshot.builder().name("churn_tcp_destination_ports_used")
                    .help("Local ports the client sockets towards remote hold (every state but LISTEN), --top fullest");
            GaugeSnapshot.Builder available = GaugeSnapshot.builder().name("churn_tcp_destination_ports_available")
                    .help("Local ports connect() can pick from towards remote: ip_local_port_range less reserved ports"
                            + " and listeners' ports");
            for (Destination d : r.destinations()) {
                Labels labels = Labels.of("local", d.local(), "remote", d.remote());
                used.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(d.used()).build());
                available.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(d.available()).build());
            }
            out.add(used.build());
            out.add(available.build());
        }
        out.add(gauge("churn_monitor_sample_seconds", "What the last sample cost (count plus sockstat read)",
                r.sampleSeconds()));
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /**
     * The kernel's CamelCase names in Prometheus' snake case (promtool refuses camelCase):
     * ActiveOpens to active_opens, TCPTimeWaitOverflow to tcp_time_wait_overflow, DelayedACKs to
     * delayed_acks, TW to tw.
     */
    static String snakeCase(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char prev = name.charAt(i - 1);
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                // A plural after an acronym stays with it: DelayedACKs is delayed_acks, not delayed_ac_ks.
                boolean plural = nextLower && name.charAt(i + 1) == 's'
                        && (i + 2 == name.length() || !Character.isLowerCase(name.charAt(i + 2)));
                nextLower &= !plural;
                if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
                    b.append('_');
                }
            }
            b.append(Character.isLetterOrDigit(c) ? c : '_');
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        server.close();
        executor.shutdownNow();
    }
}
