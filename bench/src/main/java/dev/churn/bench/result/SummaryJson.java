package dev.churn.bench.result;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.config.Layers;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.AcceptPairing;
import dev.churn.bench.engine.AutoWarmup;
import dev.churn.bench.engine.ChurnEngine;
import dev.churn.bench.engine.FailureKind;
import dev.churn.bench.engine.Failures;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.RateTrend;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.engine.Schedule;
import dev.churn.monitor.AddressText;
import dev.churn.monitor.CgroupCpu;
import dev.churn.monitor.CpuShare;
import dev.churn.monitor.LoadReading;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The {@code summary.json} of a run, schema {@value #SCHEMA}: build it with {@link #toJson}, save
 * it with {@link #write}, reopen a saved run with {@link #read}. Latencies are microseconds (3
 * decimals); every failure kind and every TCP state is present, zeros included; phases appear when
 * they saw cycles (accept only with the built-in sink).
 */
public final class SummaryJson {

    /** The schema tag, first field of the file; readers check its prefix. */
    public static final String SCHEMA = "churn.run/1";
    /** The file name. */
    public static final String FILE = "summary.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    /** The summary of a run as a JSON tree. */
    public static ObjectNode toJson(RunRecord r) {
        RunResult res = r.result();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("label", r.label());
        root.put("startedAt", Instant.ofEpochMilli(res.info().startEpochMillis()).toString());
        root.put("measuredFrom", Instant.ofEpochMilli(res.measuredStartEpochMillis()).toString());
        if (res.firstCycleAfterNanos() >= 0) {
            // A closed loop's span starts at its first cycle: how long after the measured part began that was.
            root.put("firstCycleAfterMillis", Micros.round3(res.firstCycleAfterNanos() / 1e6));
        }
        if (r.command() != null) {
            // The arguments after "churn", so the run can be made again from its folder (passwords hidden: CommandArgs).
            ArrayNode command = root.putArray("command");
            r.command().forEach(command::add);
        }
        root.set("scenario", scenario(res.info(), r.sampling()));
        ObjectNode conn = root.putObject("connections");
        conn.put("attempted", res.attempted());
        conn.put("completed", res.completed());
        conn.put("failed", res.failed());
        conn.put("perSecond", Micros.round3(res.perSecond()));
        // To the microsecond: completed / durationSeconds gives perSecond back even for a run of 50 ms (at the
        // millisecond, 1% off).
        root.put("durationSeconds", Micros.round6(res.measuredNanos() / 1e9));
        root.put("endReason", res.endReason().name());
        root.put("endedInWarmup", res.endedInWarmup());
        if (res.warmupCut() != null) {
            // The warm-up ran shorter than scenario.warmup says: nothing in it completed.
            ObjectNode cut = root.putObject("warmupEndedEarly");
            cut.put("afterSeconds", Micros.round3(res.warmupCut().nanos() / 1e9));
            cut.put("failed", res.warmupCut().failed());
            cut.set("failures", failures(res.warmupCut().failures()));
        }
        if (r.latencyLogLost() != null) {
            // The log failed during the run (a full disk) and was dropped; the rest of the folder holds every cycle.
            root.putObject("latencyLog").put("lost", r.latencyLogLost());
        }
        root.set("schedule", schedule(res.schedule()));
        root.set("rateTrend", trend(res.trend()));
        root.set("jit", jit(r.cpu()));
        root.set("cpu", cpu(r.cpu(), res.completed()));
        root.set("gc", gc(r.gc()));
        root.set("phases", phases(res.phases()));
        // Latencies above the histograms' ceiling (an hour), by phase: recorded as the ceiling, so counted here.
        ObjectNode over = root.putObject("overCeiling");
        res.overCeiling().forEach((p, n) -> over.put(p.label(), n));
        root.set("acceptPairing", acceptPairing(res.acceptPairing()));
        if (res.info().spec().builtInSink()) {
            RunResult.SinkFaults f = res.sinkFaults();
            ObjectNode sink = root.putObject("sinkAcceptFailures");
            sink.put("count", f == null ? 0 : f.acceptFailures());
            if (f != null && f.acceptFailures() > 0) {
                sink.put("first", f.firstAcceptFailure());
            }
            // Connections the sink reset after SinkServer.IDLE_SECONDS of silence, and its failed TLS handshakes.
            root.put("sinkIdleResets", f == null ? 0 : f.idleResets());
            root.put("sinkTlsFailures", f == null ? 0 : f.tlsFailures());
        }
        if (res.info().spec().layers().tls() != null) {
            root.set("tlsHandshakes", tlsHandshakes(res));
        }
        root.set("failures", failures(res.failures()));
        // A closed loop out of descriptors or ports waits before its next try instead of failing at full speed.
        if (res.stall() == null) {
            root.putNull("stall");
        } else {
            // The longest the process stood still (its reporter woke that late): every connection in flight waited too.
            ObjectNode stall = root.putObject("stall");
            stall.put("seconds", Micros.round3(res.stall().nanos() / 1e9));
            stall.put("endedAtSeconds", Micros.round3(res.stall().endedAtNanos() / 1e9));
            stall.put("inWarmup", res.stall().inWarmup());
        }
        ObjectNode pauses = root.putObject("shortagePauses");
        pauses.put("count", res.shortagePauses().count());
        pauses.put("seconds", Micros.round3(res.shortagePauses().nanos() / 1e9));
        if (r.states() != null) {
            root.set("states", states(r.states(), res.info().ports()));
        } else {
            root.putNull("states");
        }
        ObjectNode kernel = root.putObject("kernel");
        r.kernelDeltas().forEach(kernel::put);
        root.set("environment", environment(r.environment()));
        return root;
    }

    /** Writes the summary, indented, ending with a newline. */
    public static void write(RunRecord r, Writer out) throws IOException {
        out.write(toPrettyString(r));
        out.write('\n');
        out.flush();
    }

    /** The summary as indented JSON text (what {@code --format json} prints). */
    public static String toPrettyString(RunRecord r) {
        try {
            return MAPPER.writeValueAsString(toJson(r));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    /**
     * What is wrong with a JSON file, in the reader's words: the parser's message up to its own location text, and
     * where. A truncated summary.json said "Unexpected end-of-input: expected close marker for Object (start marker
     * at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 130 ...".
     */
    public static String jsonError(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        int cut = m.indexOf(" (start marker at");
        m = (cut >= 0 ? m.substring(0, cut) : m).lines().findFirst().orElse("").strip();
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? m : String.format(Locale.ROOT, "%s (line %d, column %d)", m,
                at.getLineNr(), at.getColumnNr());
    }

    /**
     * Reads a saved summary: {@code path} is a run's folder or its summary.json. Throws
     * IllegalArgumentException naming the path when it is no churn run summary, and naming the
     * file and the field when a field readers rely on has the wrong type ({@link SummaryCheck}).
     */
    public static JsonNode read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
        if (!Files.isRegularFile(file)) {
            String unfinished = Files.isDirectory(path) ? UnfinishedRun.describe(path) : null;
            throw new IllegalArgumentException(unfinished != null ? unfinished : path + " holds no " + FILE
                    + " (not a churn run folder)");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + jsonError(e));
        }
        String schema = n == null ? "" : n.path("schema").asText("");
        if (!schema.startsWith("churn.run/")) {
            throw new IllegalArgumentException(file + " is not a churn run summary (schema '" + schema + "', want " + SCHEMA + ")");
        }
        SummaryCheck.check(file, n);
        return n;
    }

    private static ObjectNode scenario(RunInfo info, RunRecord.Sampling sampling) {
        RunSpec s = info.spec();
        SocketConfig sc = s.socket();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("transport", s.transport().label());
        if (s.transport().eventLoops()) {
            n.put("threads", s.loops());
        } else {
            n.putNull("threads");
        }
        n.put("closer", s.closer().label());
        n.put("linger", sc.linger().toString());
        n.put("reuseAddr", sc.reuseAddr());
        n.put("reusePort", sc.reusePort());
        n.put("listeners", s.sinkListeners());
        // Whether --listeners was given: the default (one a processor) is no option the run set (review, 2026-12-06).
        n.put("listenersGiven", sc.listeners() > 0);
        n.put("noDelay", sc.noDelay());
        n.put("rcvBuf", sc.rcvBuf());
        n.put("sndBuf", sc.sndBuf());
        n.put("backlog", sc.backlog());
        // The connections' family: --ipv6 for the built-in sink, a --target's own address otherwise (a run against
        // [::1]:P said false, review 2026-12-07).
        n.put("ipv6", sc.ipv6() || info.target() != null && info.target().getAddress() instanceof java.net.Inet6Address);
        n.put("bindPorts", sc.bindPorts() == null ? null : sc.bindPorts().toString());
        ObjectNode load = n.putObject("load");
        switch (s.load()) {
            case Load.Closed c -> {
                load.put("type", "closed");
                load.put("concurrency", c.concurrency());
            }
            case Load.Open o -> {
                load.put("type", "open");
                load.put("rate", o.ratePerSecond());
                load.put("maxInFlight", o.maxInFlight());
            }
        }
        if (s.connections() > 0) {
            n.put("connections", s.connections());
        } else {
            n.putNull("connections");
        }
        n.put("duration", Micros.duration(s.duration()));
        if (s.autoWarmup() != null) {
            // How long it ran is the jit block's warmupSeconds (CpuWindow reads it as the run goes).
            n.put("warmup", "auto");
            AutoWarmup a = s.autoWarmup();
            ObjectNode rule = n.putObject("warmupAuto");
            rule.put("quietSharePercent", Micros.round3(100 * a.quietShare()));
            rule.put("window", Micros.duration(a.window()));
            rule.put("atLeast", Micros.duration(a.least()));
            rule.put("atMost", Micros.duration(a.most()));
        } else {
            n.put("warmup", Micros.duration(s.warmup()));
        }
        n.put("requestBytes", s.requestBytes());
        n.put("responseBytes", s.responseBytes());
        n.put("target", hostPort(info.target()));
        n.put("builtInSink", s.builtInSink());
        if (s.builtInSink()) {
            // How the sink served: its epoll loops, or blocking calls (ChurnEngine.blockingSink says when).
            n.put("sinkServing", s.layers().tls() != null ? "tls" : ChurnEngine.blockingSink(s) ? "blocking" : "epoll");
        }
        n.put("connectTimeout", Micros.duration(s.connectTimeout()));
        n.put("maxFailures", s.maxFailures());
        if (sampling != null) {
            // What --source and --interval asked for: states.source says which source ran, states.stretched how
            // far the interval was kept.
            n.put("source", sampling.source().label());
            long nanos = sampling.interval().toNanos();
            if (nanos % 1_000 == 0) {
                n.put("intervalMicros", nanos / 1_000);
            } else {
                n.put("intervalMicros", Micros.fromNanos(nanos));
            }
        }
        Layers l = s.layers();
        if (l.tls() != null) {
            ObjectNode t = n.putObject("tls");
            t.put("version", l.tls().version().label());
            t.put("resume", l.tls().resume());
            t.set("groups", MAPPER.valueToTree(l.tls().groups()));
            t.set("ciphers", MAPPER.valueToTree(l.tls().ciphers()));
            t.put("insecure", l.tls().insecure());
            t.put("provider", l.provider().label());
            if (s.builtInSink()) {
                t.put("sinkKey", l.sinkIdentity() != null ? "given" : l.sinkKeyOrDefault().label());
            }
        }
        if (l.httpPath() != null) {
            n.put("http", l.httpPath());
        }
        return n;
    }

    /** The TLS handshakes measured and how many resumed a session; null without TLS. */
    private static ObjectNode tlsHandshakes(RunResult res) {
        if (res.info().spec().layers().tls() == null) {
            return null;
        }
        ObjectNode n = MAPPER.createObjectNode();
        long all = res.tlsHandshakes();
        n.put("handshakes", all);
        n.put("resumed", res.tlsResumed());
        n.put("resumedShare", all == 0 ? 0 : Micros.round3((double) res.tlsResumed() / all));
        return n;
    }

    /** "127.0.0.1:8080" or "[::1]:8080": the address connected to, as a user would type it back. */
    public static String hostPort(InetSocketAddress a) {
        return AddressText.hostPort(a);
    }

    /** The measured connects and accepts the ACCEPT phase left out for want of a partner, or null (no built-in sink). */
    private static JsonNode acceptPairing(AcceptPairing p) {
        if (p == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("connectsWithoutAccept", p.connectsWithoutAccept());
        n.put("acceptsWithoutConnect", p.acceptsWithoutConnect());
        n.put("acceptedBeforeConnectReturned", p.acceptedBeforeConnectReturned());
        n.put("connectsBeyondDepth", p.connectsBeyondDepth());
        n.put("portDepth", p.portDepth());
        return n;
    }

    /** An open loop's schedule kept, or null (closed loop, or a run that ended in its warm-up). */
    private static JsonNode schedule(Schedule sc) {
        if (sc == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("intended", sc.intended());
        n.put("started", sc.started());
        n.put("missed", sc.missed());
        n.put("lagP50Micros", Micros.fromNanos(sc.lagP50Nanos()));
        n.put("lagP99Micros", Micros.fromNanos(sc.lagP99Nanos()));
        n.put("maxLagMicros", Micros.fromNanos(sc.maxLagNanos()));
        n.put("peakInFlight", sc.peakInFlight());
        n.put("maxInFlight", sc.maxInFlight());
        if (sc.slotWaitShare() >= 0) {
            n.put("slotWaitPercent", round1(sc.slotWaitShare() * 100));
        }
        n.put("generatorLimited", sc.generatorLimited());
        return n;
    }

    /** A closed loop's early and late rates, or null (open loop, or too few intervals to tell). */
    private static JsonNode trend(RateTrend t) {
        if (t == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("intervals", t.intervals());
        n.put("earlyPerSecond", Micros.round3(t.earlyPerSecond()));
        n.put("latePerSecond", Micros.round3(t.latePerSecond()));
        n.put("climbing", t.climbing());
        n.put("falling", t.falling());
        return n;
    }

    // cpu: documented in results/README.md
    private static JsonNode cpu(CpuActivity c, long completed) {
        if (c == null || c.measuredProcessMillis() < 0) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("measuredSeconds", Micros.round3(c.measuredProcessMillis() / 1e3));
        // The span it was read over: the measured part's start to its last tick, just after its last cycle.
        n.put("windowSeconds", Micros.round3(c.measuredMillis() / 1e3));
        if (completed > 0) {
            n.put("perConnectionMicros", Math.round(c.measuredProcessMillis() * 1e3 / completed * 10) / 10.0);
        } else {
            n.putNull("perConnectionMicros");
        }
        // The state sampler's thread over the same span: what watching the states cost, inside measuredSeconds.
        if (c.measuredSamplerMillis() >= 0) {
            n.put("samplerSeconds", Micros.round3(c.measuredSamplerMillis() / 1e3));
        } else {
            n.putNull("samplerSeconds");
        }
        if (c.samplerShare() >= 0) {
            n.put("samplerPercent", round1(c.samplerShare() * 100));
        } else {
            n.putNull("samplerPercent");
        }
        return n;
    }

    // gc: documented in results/README.md
    private static JsonNode gc(GcPauses g) {
        if (g == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("pauses", g.pauses());
        n.put("pauseMillis", g.totalMillis());
        if (g.maxMillis() >= 0) {
            n.put("maxPauseMillis", g.maxMillis());
        } else {
            n.putNull("maxPauseMillis");
        }
        return n;
    }

    // jit: documented in results/README.md
    private static JsonNode jit(CpuActivity j) {
        if (j == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("warmupCompileSeconds", Micros.round3(j.warmupCompileMillis() / 1e3));
        n.put("warmupSeconds", Micros.round3(j.warmupMillis() / 1e3));
        n.put("measuredCompileSeconds", Micros.round3(j.measuredCompileMillis() / 1e3));
        n.put("measuredSeconds", Micros.round3(j.measuredMillis() / 1e3));
        n.put("measuredSharePercent", round1(j.measuredShare() * 100));
        if (j.lateRead()) {
            n.put("lateCompileSeconds", Micros.round3(j.lateCompileMillis() / 1e3));
            n.put("lateSeconds", Micros.round3(j.lateMillis() / 1e3));
            n.put("lateSharePercent", round1(j.lateShare() * 100));
        } else {
            // a second half under CpuActivity.MIN_LATE_MILLIS: too short to read
            n.putNull("lateCompileSeconds");
            n.putNull("lateSeconds");
            n.putNull("lateSharePercent");
        }
        n.put("busy", j.busy());
        return n;
    }

    private static ObjectNode phases(Map<Phase, Histogram> phases) {
        ObjectNode n = MAPPER.createObjectNode();
        for (Phase p : Phase.values()) {
            Histogram h = phases.get(p);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            n.set(p.label(), phase(h));
        }
        return n;
    }

    /** One phase's entry: count, then mean and percentiles in microseconds (the histogram is in ns). */
    static ObjectNode phase(Histogram h) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("count", h.getTotalCount());
        o.put("mean", Micros.fromNanos(h.getMean()));
        o.put("p50", Micros.fromNanos(h.getValueAtPercentile(50)));
        o.put("p90", Micros.fromNanos(h.getValueAtPercentile(90)));
        o.put("p99", Micros.fromNanos(h.getValueAtPercentile(99)));
        o.put("p999", Micros.fromNanos(h.getValueAtPercentile(99.9)));
        o.put("max", Micros.fromNanos(h.getMaxValue()));
        return o;
    }

    private static ObjectNode failures(Map<FailureKind, Failures.Stat> failures) {
        ObjectNode n = MAPPER.createObjectNode();
        for (FailureKind k : FailureKind.values()) {
            Failures.Stat st = failures.get(k);
            ObjectNode o = n.putObject(k.label());
            o.put("count", st == null ? 0 : st.count());
            if (st == null || st.count() == 0) {
                o.putNull("firstAtMs");
                o.putNull("firstMessage");
            } else {
                o.put("firstAtMs", st.firstAtMillis());
                o.put("firstMessage", st.firstMessage());
            }
        }
        return n;
    }

    private static ObjectNode states(StateSeries series, int[] ports) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("source", series.source().label());
        ArrayNode pa = n.putArray("ports");
        for (int p : ports) {
            pa.add(p);
        }
        n.set("peak", counts(series.peaks()));
        n.set("final", counts(series.last().map(s -> s.states()).orElse(StateCounts.EMPTY)));
        long[] sides = series.finalTimeWaitSides();
        if (sides != null) {
            // Whose the final TIME_WAIT are (since 2026-12-05): the server's local port is the run's.
            n.putObject("finalTimeWaitSides").put("server", sides[0]).put("client", sides[1]);
        }
        if (series.before() != null) {
            // What was on the ports before the run's first connection, in peak and final too (since 2026-12-05).
            n.set("before", counts(series.before()));
        }
        n.put("samples", series.samplesTaken());
        long tw = series.peakSockstatTw();
        if (tw >= 0) {
            n.put("sockstatTwPeak", tw);
        } else {
            n.putNull("sockstatTwPeak");
        }
        n.put("errors", series.errorCount());
        // What the first failed read said: errors alone cannot tell a missing /proc from EMFILE.
        series.firstError().ifPresentOrElse(e -> n.put("firstError", e), () -> n.putNull("firstError"));
        // Fewer samples than the interval promised, and why (the sampler's CPU budget, or samples
        // slower than the interval): null when every tick came on time.
        long median = series.medianIntervalMicros();
        if (median >= 0) {
            n.put("medianIntervalMicros", median);
        } else {
            n.putNull("medianIntervalMicros");
        }
        series.stretch().ifPresentOrElse(st -> {
            ObjectNode o = n.putObject("stretched");
            o.put("requestedMicros", st.requested().toNanos() / 1_000);
            o.put("everyMicros", st.actual().toNanos() / 1_000);
            o.put("sampleCostMicros", st.sampleCost().toNanos() / 1_000);
            o.put("maxDuty", st.maxDuty());
            o.put("cause", st.cause().name());
            o.put("samplesPutOff", series.putOffByBudget());
            o.put("note", st.describe());
        }, () -> n.putNull("stretched"));
        return n;
    }

    private static ObjectNode counts(StateCounts c) {
        ObjectNode n = MAPPER.createObjectNode();
        for (TcpState s : TcpState.values()) {
            n.put(s.name(), c.get(s));
        }
        return n;
    }

    static ObjectNode environment(Environment e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kernelRelease", e.kernelRelease());
        n.put("os", e.os());
        n.put("jdkVendor", e.jdkVendor());
        n.put("jdkVersion", e.jdkVersion());
        n.put("cpus", e.cpus());
        n.put("hostname", e.hostname());
        if (e.build() != null) {
            // environment.churn: documented in results/README.md
            ObjectNode b = n.putObject("churn");
            b.put("version", e.build().version());
            b.put("commit", e.build().commit());
            if (e.build().dirty() == null) {
                b.putNull("dirty");
            } else {
                b.put("dirty", e.build().dirty());
            }
        }
        ObjectNode sys = n.putObject("sysctls");
        e.sysctls().forEach(sys::put);
        if (e.load() != null) {
            n.set("load", load(e.load()));
        }
        return n;
    }

    // environment.load: documented in results/README.md
    private static ObjectNode load(Environment.Load l) {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("before", reading(l.before()));
        n.set("after", reading(l.after()));
        CpuShare share = l.share();
        if (share == null) {
            n.putNull("ownPercent");
            n.putNull("othersPercent");
            n.putNull("stealPercent");
            n.putNull("machineCpuSeconds");
        } else {
            n.put("ownPercent", round1(share.own() * 100));
            n.put("othersPercent", round1(share.others() * 100));
            n.put("stealPercent", round1(share.steal() * 100));
            n.put("machineCpuSeconds", Math.round(share.machineSeconds() * 100) / 100.0);
        }
        n.put("othersPercentLimit", round1(CpuShare.BUSY_OTHERS * 100));
        n.put("warning", l.warning());
        // Since 2026-12-06, where the process has a cgroup cpu controller.
        CgroupCpu.Throttle t = l.throttle();
        if (t != null) {
            ObjectNode q = n.putObject("cgroupCpu");
            if (t.quotaCpus() < 0) {
                q.putNull("quotaCpus");
            } else {
                q.put("quotaCpus", Math.round(t.quotaCpus() * 1000) / 1000.0);
            }
            q.put("periods", t.periods());
            q.put("throttledPeriods", t.throttledPeriods());
            q.put("throttledSeconds", Math.round(t.throttledSeconds() * 1000) / 1000.0);
            q.put("warning", t.warning());
        }
        return n;
    }

    private static JsonNode reading(LoadReading r) {
        if (r == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.putArray("loadAverage").add(r.load1()).add(r.load5()).add(r.load15());
        n.put("stealSeconds", r.stealTicks() / 100.0);
        return n;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
