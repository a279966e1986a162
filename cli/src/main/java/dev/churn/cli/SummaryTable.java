package dev.churn.cli;

import static dev.churn.cli.TableText.counted;
import static dev.churn.cli.TableText.line;
import static dev.churn.cli.TableText.note;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.compare.Metric;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.engine.ShortageBackoff;
import dev.churn.bench.http.Printable;
import dev.churn.bench.report.WordWrap;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.server.SinkServer;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.SocketHashTable;
import dev.churn.monitor.StateSampler;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a run's {@code summary.json} (schema churn.run/1) as the table {@code churn run} prints:
 * rate and counts, per-phase latency in microseconds, failures by kind, TIME_WAIT / CLOSE_WAIT peaks
 * and final counts, a few kernel counter deltas, and where the files are. It reads the JSON, not the
 * live objects, so a saved run renders the same.
 */
final class SummaryTable {

    /** The kernel counters worth a line, in this order; the rest are in summary.json. */
    static final List<String> KEY_COUNTERS = KernelCounters.HEADLINE;
    /** Counters shown only when they moved (TWKilled: see {@link KernelCounters#HEADLINE_WHEN_MOVED}). */
    private static final Set<String> WHEN_MOVED = KernelCounters.HEADLINE_WHEN_MOVED;
    /** The widest the kernel counters run after their 14-column label: 100 columns in all, as the notes. */
    private static final int COUNTER_WIDTH = 86;

    private SummaryTable() {}

    /**
     * The socket options a run set beyond the headline's, or "": two tables with and without --no-delay, or with
     * --rcvbuf 65536, read as one configuration (QA, 2026-12-06). The summary has them all under scenario.
     */
    static String socketOptions(JsonNode sc) {
        return socketOptions(sc, -1);
    }

    /**
     * As {@link #socketOptions(JsonNode)}, with the net.core.somaxconn the run saw (-1: unknown), which the kernel holds a
     * listen backlog to: --backlog 100000 said 'backlog 100000' over listeners of 4,096 (review, 2026-12-07).
     */
    static String socketOptions(JsonNode sc, long somaxconn) {
        List<String> o = new ArrayList<>();
        if (sc.path("noDelay").asBoolean(false)) {
            o.add("TCP_NODELAY");
        } else if (sc.path("tls").isObject()) {
            o.add("TCP_NODELAY (always under TLS)"); // ClientPlan.noDelay: a summary records what was asked
        }
        if (sc.path("rcvBuf").asInt(0) > 0) {
            o.add(String.format(Locale.ROOT, "SO_RCVBUF %,d", sc.path("rcvBuf").asInt()));
        }
        if (sc.path("sndBuf").asInt(0) > 0) {
            o.add(String.format(Locale.ROOT, "SO_SNDBUF %,d", sc.path("sndBuf").asInt()));
        }
        if (sc.path("reusePort").asBoolean(false)) {
            o.add("SO_REUSEPORT");
        }
        if (sc.path("bindPorts").isTextual()) {
            o.add("bound to local ports " + Printable.escape(sc.path("bindPorts").asText()));
        }
        boolean sink = sc.path("builtInSink").asBoolean(true);
        int backlog = sc.path("backlog").asInt(SocketConfig.DEFAULT_BACKLOG);
        boolean held = sink && somaxconn >= 0 && backlog > somaxconn;
        if (sc.path("backlog").isInt() && (backlog != SocketConfig.DEFAULT_BACKLOG || held)) {
            o.add(String.format(Locale.ROOT, "backlog %,d", backlog) + (held
                    ? String.format(Locale.ROOT, " (the kernel holds it to net.core.somaxconn, %,d)", somaxconn) : ""));
        }
        // --listeners 3 gave the sink three SO_REUSEPORT listeners and the table never said so (QA, 2026-12-06).
        if (sc.path("listeners").asInt(1) > 1 && sc.path("builtInSink").asBoolean(false)
                && sc.path("listenersGiven").asBoolean(false)) {
            o.add("the sink's " + sc.path("listeners").asInt() + " listeners on one port (SO_REUSEPORT)");
        }
        return String.join(", ", o);
    }

    /** "selector (2 threads)": the event loops of selector or epoll, from summaries that record them. */
    static String transport(JsonNode sc) {
        String t = sc.path("transport").asText();
        JsonNode threads = sc.path("threads");
        return threads.isInt() ? t + " (" + threads.asInt() + (threads.asInt() == 1 ? " thread)" : " threads)") : t;
    }

    /** The table, lines ending in a newline. */
    static String render(JsonNode s, Path dir) {
        return render(s, dir, true);
    }

    /**
     * What of the process's CPU went to watching and compiling rather than to the connections: the
     * state sampler's thread (it walks every TIME_WAIT on the run's ports each sample) and the JIT's
     * compiler threads over the same span. Summaries from before 2026-12-05 have no sampler figure.
     */
    private static void ownShares(StringBuilder b, JsonNode cpu, JsonNode jit) {
        if (!cpu.path("samplerSeconds").isNumber()) {
            return;
        }
        // samplerPercent is null when the process's figure is too short to divide by: then no share for either.
        boolean shares = cpu.path("samplerPercent").isNumber();
        String sampler = seconds(cpu.path("samplerSeconds").asDouble(), shares ? cpu.path("samplerPercent").asDouble() : -1);
        if (jit.path("measuredCompileSeconds").isNumber()) {
            double compile = jit.path("measuredCompileSeconds").asDouble();
            double all = cpu.path("measuredSeconds").asDouble();
            line(b, "              of it the state sampler %s, the JIT's compilers %s", sampler,
                    seconds(compile, shares && all > 0 ? compile / all * 100 : -1));
        } else {
            line(b, "              of it the state sampler %s", sampler);
        }
    }

    /**
     * Why the warm-up's cycles failed, from its own failures: the measured part's below need not be the same (its open
     * loop failed on ports, the warm-up on refusals). Summaries before 2026-12-06 have none: the failures below, then.
     */
    private static String warmupFailures(JsonNode failures) {
        List<String> kinds = new ArrayList<>();
        String first = null;
        long most = 0;
        for (Map.Entry<String, JsonNode> e : failures.properties()) {
            long n = e.getValue().path("count").asLong(0);
            if (n > 0) {
                kinds.add(e.getKey() + " " + String.format(Locale.ROOT, "%,d", n));
                if (n > most) {
                    most = n;
                    first = e.getValue().path("firstMessage").asText("");
                }
            }
        }
        if (kinds.isEmpty()) {
            return "the failures below say why";
        }
        return "its failures: " + String.join(", ", kinds) + (first == null || first.isEmpty() ? ""
                : " (the first of the most: " + Printable.escape(first) + ")");
    }

    private static String bytes(String what, long n) {
        return n == 0 ? "no " + what : String.format(Locale.ROOT, "%s %,d byte%s", what, n, n == 1 ? "" : "s");
    }

    /** From this share of the process's CPU on, the state sampler's cost is said and how to lower it. */
    static final double SAMPLER_WORTH_A_NOTE_PERCENT = 5;

    /**
     * A sampler that took a notable share of the CPU, said with its cause where that is the kernel's socket table rather
     * than the run's own sockets: each sample walks every bucket of it, on most machines shared by every network
     * namespace (SocketHashTable). Returns whether the note was written.
     */
    private static boolean samplerCostNote(StringBuilder b, JsonNode s) {
        JsonNode share = s.at("/cpu/samplerPercent");
        if (!share.isNumber() || share.asDouble() < SAMPLER_WORTH_A_NOTE_PERCENT) {
            return false;
        }
        Optional<String> hint = socketTable(s).flatMap(SocketHashTable::costHint);
        hint.ifPresent(h -> note(b, "note", String.format(Locale.ROOT, "the state sampler took %.1f%% of churn's CPU: %s",
                share.asDouble(), h)));
        return hint.isPresent();
    }

    private static Optional<SocketHashTable> socketTable(JsonNode s) {
        JsonNode v = s.path("environment").path("sysctls").path(SocketHashTable.SYSCTL);
        return v.isTextual() ? SocketHashTable.parse(v.asText()) : Optional.empty();
    }

    // "0.21 s (2.1%)", or the seconds alone when the share is not known (percent < 0).
    private static String seconds(double seconds, double percent) {
        return percent < 0 ? String.format(Locale.ROOT, "%.2f s", seconds)
                : String.format(Locale.ROOT, "%.2f s (%.1f%%)", seconds, percent);
    }

    /** Fewer completed connections than this, and the rate line says the rate stands on few. */
    static final int FEW_FOR_A_RATE = 10;

    /**
     * The headline's rate: a tenth of a connection a second where that says something, and under 1/s its first three
     * figures: one connection in 37.8 s read "0.0 connections/s" (QA, 2026-12-06).
     */
    static String headlineRate(double perSecond) {
        return perSecond > 0 && perSecond < 1 ? String.format(Locale.ROOT, "%.3g", perSecond)
                : String.format(Locale.ROOT, "%,.1f", perSecond);
    }

    /**
     * Under this many completed connections the process's CPU is not divided among them: the JVM's compiler and the
     * state sampler, 10 to 60 ms of a short run, would be most of each one's share.
     */
    static final int FEW_FOR_A_COST = Metric.FEW_FOR_A_COST;

    /** As above; when the files could not be {@code saved} the last line says so (the error line says why). */
    static String render(JsonNode s, Path dir, boolean saved) {
        StringBuilder b = new StringBuilder();
        JsonNode sc = s.path("scenario");
        JsonNode c = s.path("connections");
        // SO_REUSEADDR named when set: a run given --reuse-addr looked like one without it (QA, 2026-12-06).
        // A saved summary is anyone's file: its words are shown through Printable (QA, 2026-12-06: a label of escapes).
        line(b, "churn run %s: %s, closer %s, linger %s%s, %s, target %s",
                Printable.escape(s.path("label").asText()), transport(sc), Printable.escape(sc.path("closer").asText()),
                Printable.escape(sc.path("linger").asText()), sc.path("reuseAddr").asBoolean(false) ? ", SO_REUSEADDR" : "",
                load(sc.path("load")), Printable.escape(sc.path("target").asText()));
        String sockets = socketOptions(sc, s.at("/environment/sysctls/net.core.somaxconn").asLong(-1));
        if (!sockets.isEmpty()) {
            String label = "sockets";
            for (String l : WordWrap.lines(sockets, 86)) {
                line(b, "  %-12s%s", label, l);
                label = "";
            }
        }
        // The sizes are a CRR run's main parameter: two runs differing only in them printed the same head (QA, 2026-12-06).
        long request = sc.path("requestBytes").asLong(0);
        long response = sc.path("responseBytes").asLong(0);
        if ((request > 0 || response > 0) && !sc.hasNonNull("http")) {
            line(b, "  payload     %s, %s per connection", bytes("request", request), bytes("response", response));
        }
        boolean inWarmup = s.path("endedInWarmup").asBoolean(false);
        // A run stopped in its warm-up has the warm-up's counts, kept so nothing is lost; its headline says so.
        long completed = c.path("completed").asLong();
        // A rate from a handful of connections (--rate 0.001 --duration 2s made "0.5/s" from one) is a count over a
        // window, not a steady rate: say how few.
        String few = completed > 0 && completed < FEW_FOR_A_RATE
                ? "; from " + counted(completed, "connection") + ", too few for a steady rate" : "";
        line(b, "  %s connections/s over %.3f s (%s%s%s%s)", headlineRate(c.path("perSecond").asDouble()),
                s.path("durationSeconds").asDouble(), s.path("endReason").asText(), inWarmup ? " in the warm-up" : "",
                stoppedShort(s, inWarmup), few);
        line(b, "  attempted %,d   completed %,d   failed %,d", c.path("attempted").asLong(),
                c.path("completed").asLong(), c.path("failed").asLong());
        JsonNode cpu = s.path("cpu");
        boolean samplerHinted = false;
        if (cpu.path("perConnectionMicros").isNumber() && completed < FEW_FOR_A_COST) {
            // A handful of connections divides the JVM's own work (its compiler, the sampler) by a handful: a run of 10
            // was said to cost "8,000.0 µs of CPU a connection" (QA, 2026-12-06). The total, and why no division.
            String text = String.format(Locale.ROOT, "%.3f s of CPU in the %.2f s from the measured part's start to its last"
                    + " tick, all of churn's process (client, %sJVM); %s too few for a cost each",
                    cpu.path("measuredSeconds").asDouble(), cpu.path("windowSeconds").asDouble(s.path("durationSeconds").asDouble()),
                    s.at("/scenario/builtInSink").asBoolean(false) ? "built-in sink, " : "",
                    completed == 1 ? "1 connection is" : String.format(Locale.ROOT, "%,d connections are", completed));
            String head = "  cpu         ";
            for (String l : WordWrap.lines(text, 86)) {
                line(b, "%s", head + l);
                head = "              ";
            }
            ownShares(b, cpu, s.path("jit"));
            samplerHinted = samplerCostNote(b, s);
        } else if (cpu.path("perConnectionMicros").isNumber()) {
            // What the rate alone hides when the CPUs are not all busy: the figure that predicts scaling.
            line(b, "  cpu         %,.1f µs of CPU a connection: %.2f s in the %.2f s from the measured part's start",
                    cpu.path("perConnectionMicros").asDouble(), cpu.path("measuredSeconds").asDouble(),
                    cpu.path("windowSeconds").asDouble(s.path("durationSeconds").asDouble()));
            line(b, "              to its last tick, all of churn's process (client, %sJVM)",
                    s.at("/scenario/builtInSink").asBoolean(false) ? "built-in sink, " : "");
            ownShares(b, cpu, s.path("jit"));
            samplerHinted = samplerCostNote(b, s);
        }
        gcLine(b, s.path("gc"));
        autoWarmupLine(b, s);
        JsonNode sched = s.path("schedule");
        if (sched.isObject()) {
            if (sched.has("lagP50Micros")) {
                // Since 2026-12-05: how late the starts were, which is in every cycle's latency. Wrapped: a run far
                // behind (starts late by seconds, hundreds of thousands intended) made the first line 105 columns.
                // Starts that found every slot busy waited for a cycle to end: the server's pace, not a wake-up's.
                note(b, "schedule", String.format(Locale.ROOT, "started %,d of %,d intended (at most %,d of %,d in flight),"
                        + " late by p50 %s, p99 %s, at most %s: %s", sched.path("started").asLong(),
                        sched.path("intended").asLong(), sched.path("peakInFlight").asLong(),
                        sched.path("maxInFlight").asLong(), ScheduleNotes.lag(sched.path("lagP50Micros").asDouble()),
                        ScheduleNotes.lag(sched.path("lagP99Micros").asDouble()),
                        ScheduleNotes.lag(sched.path("maxLagMicros").asDouble()), ScheduleNotes.lateBecause(sched)));
            } else {
                line(b, "  schedule    started %,d of %,d intended, the latest %,.1f ms late (at most %,d of %,d in flight)",
                        sched.path("started").asLong(), sched.path("intended").asLong(),
                        sched.path("maxLagMicros").asDouble() / 1000, sched.path("peakInFlight").asLong(),
                        sched.path("maxInFlight").asLong());
            }
            long missed = ScheduleNotes.missed(sched);
            if (missed > 0) {
                line(b, "              %,d missed: due, but still waiting when the run ended, so never started and in", missed);
                line(b, "              no latency figure (%s)", ScheduleNotes.missedBecause(s.path("endReason").asText()));
            }
        }
        JsonNode tls = sc.path("tls");
        if (tls.isObject()) {
            JsonNode h = s.path("tlsHandshakes");
            // No share of no handshakes: "0 resumed (0.0%)" read as a measured 0% (QA, 2026-12-06).
            String resumed = h.path("handshakes").asLong() == 0 ? ""
                    : String.format(Locale.ROOT, ", %,d resumed (%.1f%%)", h.path("resumed").asLong(),
                            100 * h.path("resumedShare").asDouble());
            line(b, "  tls         %s%s, %,d handshakes timed%s%s", tls.path("version").asText(),
                    tls.path("resume").asBoolean() ? " with resumption" : "", h.path("handshakes").asLong(), resumed,
                    sc.hasNonNull("http") ? ", HTTP GET " + sc.path("http").asText() : "");
            if (h.path("handshakes").asLong() == 0 && inWarmup) {
                // The warm-up's handshakes are not timed: "none completed" stood beside "completed 1" (QA, 2026-12-06).
                line(b, "              (the warm-up's handshakes are not timed, and this run ended in it)");
            } else if (h.path("handshakes").asLong() == 0 && completed == 0 && s.at("/connections/failed").asLong(0) > 0) {
                // Every cycle failed, some after their handshake (an HTTP 404 over TLS): "0 handshakes timed" read as
                // if none had happened (QA, 2026-12-06).
                line(b, "              (the handshakes of completed connections: none completed, whatever their");
                line(b, "               handshakes did)");
            }
        } else if (sc.hasNonNull("http")) {
            line(b, "  http        GET %s per connection", sc.path("http").asText());
        }
        JsonNode cut = s.path("warmupEndedEarly");
        if (cut.isObject()) {
            String ended = "auto".equals(sc.path("warmup").asText())
                    ? String.format(Locale.ROOT, "the warm-up (auto) ended after %.1f s", cut.path("afterSeconds").asDouble())
                    : String.format(Locale.ROOT, "the warm-up ended after %.1f s, not %s", cut.path("afterSeconds").asDouble(),
                            Printable.escape(sc.path("warmup").asText()));
            note(b, "note", String.format(Locale.ROOT, "%s: its first %,d cycles all failed and none completed, so it could"
                    + " warm nothing up; %s", ended, cut.path("failed").asLong(), warmupFailures(cut.path("failures"))));
        }
        if (s.path("endedInWarmup").asBoolean(false)) {
            line(b, "  note        the run ended during its warm-up: these counts and failures are the warm-up's,");
            // Its connections close with SO_LINGER 0: a reset each and no TIME_WAIT, which the kernel counters show
            // without a word otherwise (OutRsts as many as connections; QA, 2026-12-06).
            line(b, "              and no latency was measured (a warm-up closes with SO_LINGER 0: a reset each,");
            line(b, "              no TIME_WAIT)");
        }
        b.append('\n');

        if (s.path("phases").isEmpty()) {
            // A header over no rows reads as a table that failed to print.
            // Phases are recorded when a connection completes, so say which of the reasons it was.
            line(b, "  phases      none timed: %s", s.path("endedInWarmup").asBoolean(false)
                    ? "the run ended during its warm-up, before measuring"
                    : c.path("attempted").asLong() == 0 ? "no connection was attempted"
                    : "no connection completed (phases are recorded as connections complete)");
        } else {
            line(b, "  %-11s %10s %10s %10s %10s %10s %10s", "phase (µs)", "count", "p50", "p90", "p99", "p99.9", "max");
        }
        for (Map.Entry<String, JsonNode> e : s.path("phases").properties()) {
            JsonNode p = e.getValue();
            line(b, "  %-11s %,10d %10.1f %10.1f %10.1f %10.1f %10.1f", displayName(e.getKey()), p.path("count").asLong(),
                    p.path("p50").asDouble(), p.path("p90").asDouble(), p.path("p99").asDouble(),
                    p.path("p999").asDouble(), p.path("max").asDouble());
        }
        if (s.path("phases").has("accept")) {
            line(b, "  (accept wait: time a connection sat in the sink's accept queue, from the client's connect()");
            line(b, "   return to the sink's accept(): how far the sink lags, not what a connection costs)");
            // Zeros, not a floor: a p50 of 0.0 would otherwise read as a queue that is always empty by measurement.
            // Said from a tenth of the waits on (a default run has about 1-2%, an --http run three quarters).
            long zeros = s.at("/acceptPairing/acceptedBeforeConnectReturned").asLong(0);
            long accepts = s.at("/phases/accept/count").asLong(0);
            if (zeros > 0 && zeros * 10 >= accepts) {
                line(b, "  (accept wait is 0 for %,d of %,d: the sink's accept() returned before the client's",
                        zeros, accepts);
                line(b, "   connect() did, so nothing waited in the queue)");
            }
        }
        untimedCycleNote(b, s);
        overCeilingWarning(b, s.path("overCeiling"));
        long unaccepted = s.at("/acceptPairing/connectsWithoutAccept").asLong(0);
        long unconnected = s.at("/acceptPairing/acceptsWithoutConnect").asLong(0);
        // Each count with its own cause: one sentence for both had blamed a full accept queue for 202 accepts whose
        // clients' TLS handshakes timed out, with ListenOverflows +0 (QA, 2026-12-06).
        if (unaccepted > 0) {
            line(b, "  (accept wait left out %s the sink never accepted: a full accept queue (see",
                    counted(unaccepted, "connect"));
            line(b, "   ListenOverflows), or the run's end came first)");
        }
        if (unconnected > 0) {
            line(b, "  (accept wait left out %s whose client never reported its connect: the cycle",
                    counted(unconnected, "accept"));
            line(b, "   failed after the TCP handshake, in TLS, or timed out before it saw connect() return)");
        }
        // Every phase counts completed cycles; accept wait is paired as soon as the client's connect() returned, so a
        // cycle that failed later (a read timeout) has one: 44,609 beside 25,014 connects in a run of 19,595 read
        // timeouts (QA, 2026-12-06).
        long acceptCount = s.at("/phases/accept/count").asLong(0);
        long connectCount = s.at("/phases/connect/count").asLong(0);
        if (acceptCount > connectCount && s.path("phases").has("connect")) {
            line(b, "  (accept wait counts %,d more than connect: it is paired once the client's connect()",
                    acceptCount - connectCount);
            line(b, "   returned, so it also times cycles that failed after it; the other phases count completed ones)");
        }
        long beyond = s.at("/acceptPairing/connectsBeyondDepth").asLong(0);
        if (beyond > 0) {
            // Accepted all the same: these are the sink's slowest, so the phase reads its lag short.
            line(b, "  (accept wait left out %s whose port came back more than %d times before the sink",
                    counted(beyond, "connect"), s.at("/acceptPairing/portDepth").asInt());
            line(b, "   accepted it, the longest waits: the sink lagged the client by more uses of a port than");
            line(b, "   the pairing keeps, as with few --bind-ports; the phase understates that lag)");
        }
        b.append('\n');

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : s.path("failures").properties()) {
            long n = e.getValue().path("count").asLong();
            if (n > 0) {
                failures.add(String.format(Locale.ROOT, "%s %,d (first at %d ms: %s)", e.getKey(), n,
                        e.getValue().path("firstAtMs").asLong(),
                        Printable.escape(e.getValue().path("firstMessage").asText())));
            }
        }
        if (failures.isEmpty()) {
            line(b, "  failures    none");
        } else {
            line(b, "  failures    %s", failures.getFirst());
            failures.stream().skip(1).forEach(f -> line(b, "              %s", f));
        }
        long pauses = s.at("/shortagePauses/count").asLong(0);
        if (pauses > 0) {
            // Why the failure counts are what they are: a worker out of descriptors or ports waits before it tries again.
            for (String l : WordWrap.lines(String.format(Locale.ROOT, "(out of descriptors or ports, the client paused before "
                    + "its next try %s, %.3f s in all, at most %d ms at a time: a try cannot succeed until one is given "
                    + "back, and one at once only counts how fast a failure is)", counted(pauses, "time"),
                    s.at("/shortagePauses/seconds").asDouble(), ShortageBackoff.MAX_NANOS / 1_000_000), 85)) {
                line(b, "              %s", l);
            }
        }
        if (s.at("/failures/timeout/count").asLong(0) > 0 && "server".equals(sc.path("closer").asText())
                && !sc.path("builtInSink").asBoolean(true)) {
            // The usual cause, and 5 s lost per connection: both sides wait for the other to close first.
            line(b, "              (with --closer server each cycle waits up to --connect-timeout %s for the server to",
                    sc.path("connectTimeout").asText());
            line(b, "               close first; a server that waits for the client instead, such as 'churn serve'");
            line(b, "               without --closer server, never does)");
        }
        String firstTimeout = s.at("/failures/timeout/firstMessage").asText("");
        if (firstTimeout.contains(": 0 of ") && firstTimeout.endsWith(" response bytes came")
                && !sc.path("builtInSink").asBoolean(true)) {
            // The server said nothing at all: the usual causes, each a different fix on one side or the other.
            line(b, "              (no byte of the response came: a 'churn serve' started without this --response,");
            line(b, "               a server that waits for a request first (--request, --http), or one that speaks");
            line(b, "               TLS (--tls) would each wait for the client as it waited for them)");
        } else if (firstTimeout.endsWith("no byte of the HTTP response came") && !sc.path("builtInSink").asBoolean(true)) {
            // The same with --http, whose reader words it so; no note came for it (QA, 2026-12-06).
            line(b, "              (no byte of the HTTP response came: a 'churn serve' started without --http, or a");
            line(b, "               server that speaks TLS (--tls), would each wait for the client as it waited for them)");
        }
        if (firstTimeout.contains("TLS handshake timed out") && !sc.path("builtInSink").asBoolean(true)) {
            // The client's hello went out and nothing finished it: most often a server that speaks no TLS at all.
            line(b, "              (the TLS handshake did not finish: a server that does not speak TLS, such as");
            line(b, "               'churn serve' without --tls, waits for the client as it waited for the server;");
            line(b, "               one too busy to finish handshakes in --connect-timeout times them out too)");
        }
        long sinkFailed = s.at("/sinkAcceptFailures/count").asLong(0);
        if (sinkFailed > 0) {
            // Not a client's failure, but it shapes every figure above: clients waited behind a full accept queue.
            String first = s.at("/sinkAcceptFailures/first").asText();
            line(b, "  sink        accept failed %s, first: %s;", counted(sinkFailed, "time"), first);
            // A failing accept is retried about once a millisecond: the count is of calls, easily read as connections.
            line(b, "              clients waited behind its full accept queue (a count of accept calls, each");
            line(b, "              retried: not of connections)");
            // The epoll sink says errno 24; the TLS sink, on the JDK's sockets, the JDK's words for it.
            if (first.contains("errno 24 ") || first.contains("Too many open files")) {
                line(b, "              (errno 24, EMFILE: out of file descriptors; raise ulimit -n%s)",
                        "never".equals(sc.path("closer").asText()) ? "; --closer never holds every connection" : "");
            }
        }
        if ("blocking".equals(sc.path("sinkServing").asText())) {
            note(b, "sink", "served in blocking calls, one connection at a time, as a C accept loop serves: "
                    + "the faster sink for a raw or epoll client that waits for each response (docs/architecture.md)");
        }
        long idleResets = s.path("sinkIdleResets").asLong(0);
        long sinkTls = s.path("sinkTlsFailures").asLong(0);
        if (idleResets > 0 || sinkTls > 0) {
            // The sink's own view: a reset the client may count as econnreset, or not at all (it had gone).
            List<String> said = new ArrayList<>();
            if (idleResets > 0) {
                said.add(String.format(Locale.ROOT, "reset %s after %d s without a byte or a FIN from its client (its idle"
                        + " bound: a client that stalled or went away)", counted(idleResets, "connection"),
                        SinkServer.IDLE_SECONDS));
            }
            if (sinkTls > 0) {
                said.add(String.format(Locale.ROOT, "failed %s on its side", counted(sinkTls, "TLS handshake")));
            }
            note(b, "sink", String.join("; ", said));
        }

        JsonNode st = s.path("states");
        if (st.isObject()) {
            // A fixed --target's port keeps the last run's TIME_WAIT for 60 s: counted in peak and final, so said.
            line(b, "  TIME_WAIT   peak %,d   final %,d%s%s", st.at("/peak/TIME_WAIT").asLong(), st.at("/final/TIME_WAIT").asLong(),
                    sides(st), before(st, "TIME_WAIT"));
            line(b, "  CLOSE_WAIT  peak %,d   final %,d%s", st.at("/peak/CLOSE_WAIT").asLong(), st.at("/final/CLOSE_WAIT").asLong(),
                    before(st, "CLOSE_WAIT"));
            if ("never".equals(sc.path("closer").asText()) || st.at("/final/FIN_WAIT2").asLong() > 0) {
                // The client's half of a close the server never answers: closed, waiting for a FIN.
                line(b, "  FIN_WAIT2   peak %,d   final %,d", st.at("/peak/FIN_WAIT2").asLong(), st.at("/final/FIN_WAIT2").asLong());
            }
            // The sampler runs from the warm-up on (states.csv's t_ms counts from there): the count says
            // so, or 56 samples read as a sparse timeline of a 0.3 s measured part.
            String warm = sc.path("warmup").isTextual() ? sc.path("warmup").asText() : "0s";
            if (warm.equals("auto")) {
                warm = s.at("/jit/warmupSeconds").isNumber()
                        ? String.format(Locale.ROOT, "%.1f s", s.at("/jit/warmupSeconds").asDouble()) : "";
            }
            line(b, "              (ports %s, %s source, %s%s)", ports(st.path("ports")), st.path("source").asText(),
                    counted(st.path("samples").asLong(), "sample"),
                    // Stopped in the warm-up, every sample is the warm-up's, which did not run its length (QA, 2026-12-06)
                    inWarmup ? ", all in the warm-up"
                    : warm.isEmpty() || warm.matches("0+[a-z]*") ? "" : ", the " + warm + " warm-up's included");
            long samplingErrors = st.path("errors").asLong(0);
            if (samplingErrors > 0) {
                String text = "(" + counted(samplingErrors, "sampling error") + ", the first: "
                        + (st.path("firstError").isTextual() ? st.path("firstError").asText() : "not kept") + ")";
                for (String l : WordWrap.lines(text, 86)) {
                    line(b, "              %s", l);
                }
            }
            if ("never".equals(sc.path("closer").asText()) && sc.path("builtInSink").asBoolean(false)) {
                // The CLOSE_WAIT is the point of never; its final 0 and the TIME_WAIT beside it come from the end.
                line(b, "              (final: after the built-in sink closed the connections it held open, as any");
                line(b, "               server would on exit: their TIME_WAIT is the client's)");
            }
            JsonNode stretched = st.path("stretched");
            long requested = stretched.path("requestedMicros").asLong(-1);
            long median = st.path("medianIntervalMicros").asLong(-1);
            // One tick put off (a cold sample, a busy moment) leaves the timeline as asked; say it
            // when the samples' own median interval is more than a tenth off, or unknown.
            if (stretched.isObject() && (median < 0 || median > requested * 11 / 10)) {
                // A sparse timeline must not pass for what --interval asked: say how sparse, and why.
                String every = median >= 0 ? micros(median) + " (median)" : "about " + micros(stretched.path("everyMicros").asLong());
                long putOff = stretched.path("samplesPutOff").asLong(-1);
                String why = StateSampler.StretchCause.SLOW_SAMPLE.name().equals(stretched.path("cause").asText())
                        ? "a sample took " + micros(stretched.path("sampleCostMicros").asLong()) + ", longer than that"
                        // Counted, not inferred: the first put-off sample's cost alone (often a cold one) read as the
                        // cost of every sample, and its arithmetic then contradicted the median beside it.
                        : putOff >= 0
                        ? String.format(Locale.ROOT, "%s of %,d put the next one off to keep the sampler within %d%% of"
                                        + " one CPU (the first had cost %s of CPU)%s",
                                counted(putOff, "sample"), st.path("samples").asLong(),
                                Math.round(stretched.path("maxDuty").asDouble() * 100),
                                micros(stretched.path("sampleCostMicros").asLong()),
                                putOff * 2 < st.path("samples").asLong() ? "; others came late, waiting for a CPU" : "")
                        : String.format(Locale.ROOT, "the sampler keeps within %d%% of one CPU, and a sample that cost %s"
                                        + " of CPU put the next one off",
                                Math.round(stretched.path("maxDuty").asDouble() * 100),
                                micros(stretched.path("sampleCostMicros").asLong()));
                // As asked, from the scenario's fraction of a microsecond: the stretch's whole microseconds said
                // 'not every 0 ns as --interval asked' for --interval 1ns (review, 2026-12-07).
                JsonNode asked = s.at("/scenario/intervalMicros");
                String interval = asked.isNumber()
                        ? StateSampler.Stretch.readable(Duration.ofNanos(Math.round(asked.asDouble() * 1000))).replace(' ', '\u00a0')
                        : micros(requested);
                for (String l : WordWrap.lines("sampled every " + every + ", not every "
                        + interval + " as --interval asked: " + why, 84)) {
                    line(b, "              %s", l.replace('\u00a0', ' '));
                }
                if (!samplerHinted) {
                    socketTable(s).flatMap(SocketHashTable::costHint).ifPresent(h -> {
                        for (String l : WordWrap.lines("(" + h + ")", 84)) {
                            line(b, "              %s", l);
                        }
                    });
                }
            }
        }

        List<String> counters = new ArrayList<>();
        for (String name : KEY_COUNTERS) {
            JsonNode v = s.path("kernel").path(name);
            // Only counters are deltas; a gauge (CurrEstab, RtoMax ...) would read as a change.
            if (!v.isMissingNode() && KernelCounters.kindOf(name) == KernelCounters.Kind.COUNTER
                    && (v.asLong() != 0 || !WHEN_MOVED.contains(name))) {
                counters.add(name + String.format(Locale.ROOT, " %+,d", v.asLong()));
            }
        }
        if (!counters.isEmpty()) {
            // Wrapped as the notes are, a counter never split from its value: one line of all eleven
            // was 200 columns wide, and a terminal broke it wherever it reached its edge.
            StringBuilder k = new StringBuilder();
            String label = "  kernel      ";
            for (String counter : counters) {
                if (!k.isEmpty() && k.length() + 2 + counter.length() > COUNTER_WIDTH) {
                    line(b, "%s%s", label, k);
                    label = "              ";
                    k.setLength(0);
                }
                k.append(k.isEmpty() ? "" : "  ").append(counter);
            }
            line(b, "%s%s", label, k);
            line(b, "              (deltas over the %s, whole network namespace)", inWarmup ? "warm-up" : "measured part");
        } else if (s.path("kernel").isObject() && s.path("kernel").isEmpty() && !s.path("hosts").isArray()) {
            // Without /proc/net/snmp and netstat (a container that hides /proc/net) the line was left out without a word
            // (QA, 2026-12-06), and every note read from the counters with it.
            line(b, "  kernel      none read: /proc/net/snmp and /proc/net/netstat were not there to read, so no");
            line(b, "              counter, and no note below reads a cause from them");
        }
        long overflow = s.path("kernel").path("TCPTimeWaitOverflow").asLong(0);
        if (overflow > 0) {
            // With the cap's value, and its cause when a namespace's own small socket table set it to half its buckets
            // (a 1,024-bucket table capped TIME_WAIT at 512 without a word of why, QA 2026-12-06).
            String cap = s.at("/environment/sysctls/net.ipv4.tcp_max_tw_buckets").asText("");
            Optional<SocketHashTable> table = socketTable(s);
            String why = table.isPresent() && !table.get().shared() && cap.equals(Long.toString(table.get().buckets() / 2))
                    ? String.format(Locale.ROOT, ", half the %,d buckets of this namespace's own socket table", table.get().buckets())
                    : "";
            note(b, "warning", String.format(Locale.ROOT, "the kernel's TIME_WAIT table was full (net.ipv4.tcp_max_tw_buckets%s%s):"
                    + " it destroyed %,d new TIME_WAIT sockets at once, so TIME_WAIT counts here are capped",
                    cap.isEmpty() ? "" : " " + Printable.escape(cap), why, overflow));
        }
        long listenOverflows = s.path("kernel").path("ListenOverflows").asLong(0);
        if (listenOverflows > 0) {
            line(b, "  warning     listen queues in this network namespace overflowed %s: the kernel dropped",
                    counted(listenOverflows, "time"));
            line(b, "              those SYNs and each client sent it again after 1 s (the connect max). The server");
            line(b, "              accepts slower than the clients connect, or its --backlog (capped by");
            line(b, "              net.core.somaxconn) is too small for the bursts");
        }
        long challenged = s.path("kernel").path("TCPSYNChallenge").asLong(0);
        if (challenged > 0) {
            // Rare (a few in millions of connections), and a connect tail nothing else on the page explains.
            line(b, "  note        %,d SYN%s met a connection the server still held with the same ports (TCPSYNChallenge,",
                    challenged, challenged == 1 ? "" : "s");
            if (sc.hasNonNull("bindPorts") && sc.path("reuseAddr").asBoolean(false)) {
                // Seen in a packet capture (docs/tcp.md): the port's last connection had sent its FIN,
                // the server had not closed yet, and the kernel let connect() take the four-tuple over.
                line(b, "              whole network namespace): --reuse-addr let a client bind a --bind-ports port whose");
                line(b, "              last connection the server had not closed yet (the client's FIN sent, the server in");
                line(b, "              CLOSE_WAIT): the kernel let connect() take that four-tuple over.");
            } else {
                line(b, "              whole network namespace): its client had gone without a FIN or RST that reached it.");
            }
            line(b, "              The kernel answered with an ACK, the client reset that connection and sent its SYN");
            line(b, "              again: those connects are in the connect tail (docs/tcp.md)");
        }
        if (sched.path("generatorLimited").asBoolean(false)) {
            ScheduleNotes.generatorWarning(b, sched, s.path("gc"));
        }
        ScheduleNotes.lagInTheTailNote(b, sched, s.at("/phases/cycle/p99").asDouble(0));
        JsonNode trend = s.path("rateTrend");
        if (trend.path("climbing").asBoolean(false)) {
            climbingWarning(b, s, trend);
        } else if (trend.path("falling").asBoolean(false)) {
            note(b, "warning", "the rate fell " + thirds(trend) + ": not a steady-state figure. A port range filling with"
                    + " TIME_WAIT (a note below says so when it did), the server, or other work on the machine"
                    + othersShare(s) + " slowed it; churn report's rate chart shows when");
        }
        JsonNode jit = s.path("jit");
        if (jit.path("busy").asBoolean(false)) {
            line(b, "  warning     the JIT was still compiling in the second half of the measured part (%.0f%% of a",
                    jit.path("lateSharePercent").asDouble());
            line(b, "              CPU, %.0f%% over the whole): code not compiled yet was measured; a longer --warmup",
                    jit.path("measuredSharePercent").asDouble());
            line(b, "              measures compiled code");
        }
        PortNotes.portSearchNote(b, s);
        PortNotes.portsRanOutNote(b, s);
        PortNotes.boundPortsNote(b, s);
        // Late server data that met timewait sockets is named with the TIME_WAIT it ended, and any it aborted
        // earlier with it; aborts alone have a note of their own; else an RST that reached a TIME_WAIT.
        // Not of a warm-up's: it closes with SO_LINGER 0, so its RSTs are its own and say nothing of the server.
        // TLS 1.3 tickets a client never reads are the cause it can name and remove: said before the server-wrote-after-
        // close note, whose general words had hidden them (245 of 300 reset against 'churn serve --tls 1.3', QA 2026-12-06).
        boolean said = inWarmup || ResetNotes.serverWentAwayNote(b, s) || ResetNotes.sharedNamespaceNote(b, s)
                || ResetNotes.serverResetNote(b, s)
                || ResetNotes.ticketsAbortedMost(s) && ResetNotes.unreadServerDataNote(b, s)
                || ResetNotes.wroteAfterClose(s) > 0 && ResetNotes.assassinationNote(b, s);
        if (!said && !ResetNotes.unreadServerDataNote(b, s) && !ResetNotes.assassinationNote(b, s)) {
            ResetNotes.resetsNoOtherNoteExplains(b, s);
        }
        windowNote(b, s);
        stallNote(b, s);
        if (s.at("/environment/load/warning").isTextual()) {
            note(b, "warning", s.at("/environment/load/warning").asText());
        }
        if (s.at("/environment/load/cgroupCpu/warning").isTextual()) {
            note(b, "warning", s.at("/environment/load/cgroupCpu/warning").asText());
        }
        b.append('\n');
        if (saved && s.at("/latencyLog/lost").isTextual()) {
            // Read back later (report --table), the run's own error line is gone: the folder lacks its log, and why.
            line(b, "  results     %s, without %s: lost during the run (%s)", dir, ResultCollector.FILE,
                    s.at("/latencyLog/lost").asText());
        } else if (saved) {
            line(b, "  results     %s", dir);
        } else {
            // Some files may be there: the error names those that are not.
            line(b, "  results     not all saved in %s: the error below names the files missing and why", dir);
        }
        return Printable.escapeLines(b.toString()); // a summary is anyone's file: no field reaches the terminal raw
    }

    /**
     * A closed loop's cycle runs from its claim to the end of its close, and holds what no phase
     * times: opening the socket, and waiting for a CPU between phases. Said when the cycle's p99.9
     * is past 100 ms and four times the timed phases' p99.9 added up, so a tail that no phase shows
     * is not taken for a lost measurement. Measured 2026-12-04: --transport virtual --concurrency
     * 5000, cycle p99.9 1.95 s against connect 5.2 ms and close 1.1 ms, the threads queued on the
     * lock of the JDK's Cleaner, with which every java.net.Socket registers when it is made.
     */
    private static void untimedCycleNote(StringBuilder b, JsonNode s) {
        JsonNode phases = s.path("phases");
        double cycle = phases.at("/cycle/p999").asDouble(0);
        if (!"closed".equals(s.at("/scenario/load/type").asText()) || cycle < 100_000) {
            return;
        }
        double timed = 0;
        for (String phase : List.of("connect", "tls", "first_byte", "close")) {
            timed += phases.at("/" + phase + "/p999").asDouble(0);
        }
        if (cycle <= 4 * timed) {
            return;
        }
        // raw and epoll make their descriptors with socket(2) alone; the JDK's sockets also register with its Cleaner.
        String transport = s.at("/scenario/transport").asText();
        String making = transport.equals("raw") || transport.equals("epoll") ? "making the socket (socket(2))"
                : "making the socket (socket(2) and a registration with the JDK's Cleaner, whose lock all"
                        + " --concurrency threads share)";
        // With --http, first_byte ends at the status line: the body's transfer after it is the cycle's alone (a 1 MiB
        // body at 200 KB/s made a 5 s cycle beside phases of 0.4 ms, and this note named only the socket; QA, 2026-12-06).
        String body = s.at("/scenario/http").isTextual() ? "reading the HTTP body after its status line, " : "";
        String text = String.format(Locale.ROOT, "cycle p99.9 %,.0f ms, %,.0f times its phases' p99.9 added up: the cycle"
                + " also holds what no phase times, %s%s and waiting for a CPU between phases; see docs/performance.md)",
                cycle / 1000, timed > 0 ? cycle / timed : 0, body, making);
        String first = "  (";
        for (String l : WordWrap.lines(text, 95)) {
            line(b, "%s%s", first, l);
            first = "   ";
        }
    }

    /**
     * Latencies above the histograms' ceiling were recorded as an hour without a word: a bug's first_byte of 3,601 s was
     * shown as a max of 3,600 s (QA, 2026-12-06). Said with the ways a phase can wait that long.
     */
    private static void overCeilingWarning(StringBuilder b, JsonNode over) {
        if (!over.isObject() || over.isEmpty()) {
            return;
        }
        List<String> counts = new ArrayList<>();
        long all = 0;
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            counts.add(String.format(Locale.ROOT, "%s %,d", displayName(e.getKey()), e.getValue().asLong()));
            all += e.getValue().asLong();
        }
        note(b, "warning", String.format(Locale.ROOT, "%s above an hour, the histograms' ceiling (%s), recorded as an"
                + " hour: %s max and tail are at least what the table shows. Such a wait comes from a --connect-timeout"
                + " or --linger above an hour, a process stopped that long, or a fault in churn's clock",
                all == 1 ? "1 latency was" : String.format(Locale.ROOT, "%,d latencies were", all), String.join(", ", counts),
                counts.size() == 1 ? "that phase's" : "those phases'"));
    }

    /**
     * The phase as the table names it: {@code accept} is shown as the wait it is, so nobody reads it
     * as a connection cost; summary.json keeps the phase's key.
     */
    static String displayName(String phase) {
        return phase.equals("accept") ? "accept wait" : phase;
    }

    /**
     * What a stopped run was asked for, beside what it made: "(STOPPED, of the 3m asked)" or "(STOPPED, of 5,000
     * connections asked)". A stopped 5-minute run said only STOPPED and its span (QA, 2026-12-06); the exit code
     * tells Ctrl-C (130) from SIGTERM (143).
     */
    private static String stoppedShort(JsonNode s, boolean inWarmup) {
        if (!"STOPPED".equals(s.path("endReason").asText()) || inWarmup || s.has("hosts")) {
            return "";
        }
        String duration = s.at("/scenario/duration").isTextual() ? s.at("/scenario/duration").asText() : "";
        long connections = s.at("/scenario/connections").asLong(0);
        if (!duration.isEmpty()) {
            return connections > 0 ? String.format(Locale.ROOT, ", of the %s or %,d connections asked", duration, connections)
                    : ", of the " + duration + " asked";
        }
        return connections > 0 ? String.format(Locale.ROOT, ", of %,d connections asked", connections) : "";
    }

    /**
     * The process stood still (its reporting thread woke a second or more late): stopped with Ctrl-Z or SIGSTOP, a
     * paused VM, a machine with no CPU to give it. Everything in flight waited with it, and what its watchdog found on
     * waking (a connect timeout) is the stall's; a 5 s stop read as a server's timeout (QA, 2026-12-06).
     */
    private static void stallNote(StringBuilder b, JsonNode s) {
        JsonNode stall = s.path("stall");
        if (!stall.isObject()) {
            return;
        }
        note(b, "warning", String.format(Locale.ROOT, "%s stood still for %.1f s or more%s, until %.1f s into the"
                + " run: its reporting thread woke that late (stopped with Ctrl-Z or SIGSTOP, a paused VM, or a machine"
                + " with no CPU to give it). %s", stall.hasNonNull("host")
                        ? "host " + Printable.escape(stall.path("host").asText()) + "'s process" : "the process",
                stall.path("seconds").asDouble(),
                stall.path("inWarmup").asBoolean(false) ? " in the warm-up" : "", stall.path("endedAtSeconds").asDouble(),
                // The warm-up's latencies are not kept: its stall is in none of the figures (QA, 2026-12-06).
                stall.path("inWarmup").asBoolean(false)
                        ? "The warm-up's connections waited with it; the measured figures do not hold the wait"
                        : "Every connection in flight waited with it, its latencies hold the wait, and a timeout counted"
                        + " then is the stall's, not the server's"));
    }

    /**
     * A run of {@code --duration D} starts cycles for D and then lets the ones in flight end: the window,
     * and so the rate's denominator, runs to the last one's end. When that is well past D (SYN retransmits
     * of 1 s and more, an open loop far behind), "over 4.932 s" for a 2 s run needs its reason beside it.
     */
    private static void windowNote(StringBuilder b, JsonNode s) {
        String asked = s.at("/scenario/duration").asText("");
        // A merged run's window spans its hosts' (a forced merge, their union): nothing in it "ran on".
        if (!"DURATION_REACHED".equals(s.path("endReason").asText()) || asked.isEmpty() || s.has("hosts")) {
            return;
        }
        double askedSeconds;
        try {
            askedSeconds = DurationConverter.parse(asked).toNanos() / 1e9;
        } catch (IllegalArgumentException e) {
            return;
        }
        double window = s.path("durationSeconds").asDouble(0);
        if (window <= askedSeconds * 1.1 + 0.05) {
            return;
        }
        double slowest = s.at("/phases/cycle/max").asDouble(0) / 1e6;
        long failed = s.at("/connections/failed").asLong(0);
        line(b, "  note        the measured window is %.3f s, not the %s of --duration: cycles started within", window, asked);
        // A failure first counted past the deadline ended there, so an attempt ran on: a timeout runs to its end.
        // firstAtMs counts from the span's start (a closed loop's first cycle), and so does the deadline since
        // 2026-12-06 (before, from the measured part's start: a few ms earlier, which this test need not tell apart).
        double deadlineMs = askedSeconds * 1000;
        boolean failedLate = false;
        for (JsonNode f : s.path("failures")) {
            failedLate |= f.path("count").asLong() > 0 && f.path("firstAtMs").asDouble(0) > deadlineMs;
        }
        if (s.at("/connections/completed").asLong(0) == 0) {
            // No cycle completed: "the slowest completed cycle took 0.000 s" said nothing true.
            line(b, "              it ran on until then, and the rate counts that time; none completed, and the %,d", failed);
            line(b, "              failed attempts ran on to their end (--connect-timeout %s)",
                    s.at("/scenario/connectTimeout").asText("5s"));
        } else if (failed > 0 && (failedLate || slowest < (window - askedSeconds) * 0.9)) {
            line(b, "              it ran on until then, and the rate counts that time; the slowest completed cycle");
            line(b, "              took %.3f s, and failed attempts ran on too (%,d failed, --connect-timeout %s)",
                    slowest, failed, s.at("/scenario/connectTimeout").asText("5s"));
        } else {
            line(b, "              it ran on until then (the slowest took %.3f s), and the rate counts that time", slowest);
        }
    }

    /** The load; a merged run's is the clients' together (rates or concurrencies added). */
    private static String load(JsonNode l) {
        String clients = l.has("clients") ? " (" + l.path("clients").asInt() + " clients combined)" : "";
        return switch (l.path("type").asText()) {
            case "open" -> String.format(Locale.ROOT, "open loop %s/s (at most %,d in flight)%s", rate(l.path("rate").asDouble()),
                    l.path("maxInFlight").asInt(), clients);
            case "mixed" -> "open and closed loops mixed" + clients;
            default -> "closed loop, concurrency " + l.path("concurrency").asInt() + clients;
        };
    }

    /** A --rate as given: "2,000.0", "0.5", "0.00001" (a rate under one a second printed "0.0"). */
    static String rate(double perSecond) {
        return perSecond >= 1 ? String.format(Locale.ROOT, "%,.1f", perSecond)
                : new BigDecimal(perSecond).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String ports(JsonNode a) {
        List<String> p = new ArrayList<>();
        a.forEach(n -> p.add(n.asText()));
        return String.join(",", p);
    }

    private static String micros(long us) {
        // A no-break space keeps the number with its unit when the line is wrapped.
        return StateSampler.Stretch.readable(Duration.ofNanos(us * 1_000)).replace(' ', '\u00a0');
    }

    /**
     * With {@code --warmup auto}: how long the warm-up ran, and whether the JIT went quiet in it or it
     * ran to its ceiling. Its length is CpuWindow's, from the run's start to the measured part's.
     */
    private static void autoWarmupLine(StringBuilder b, JsonNode s) {
        JsonNode rule = s.at("/scenario/warmupAuto");
        JsonNode ran = s.at("/jit/warmupSeconds");
        if (!rule.isObject() || !ran.isNumber() || s.path("warmupEndedEarly").isObject()) {
            return; // a warm-up whose cycles all failed ended then, and its note says so
        }
        double most = DurationConverter.parse(rule.path("atMost").asText("2m")).toMillis() / 1e3;
        if (ran.asDouble() < most) {
            line(b, "  warm-up     auto, %.1f s: until the JIT compilers used at most %s%% of a CPU over %s",
                    ran.asDouble(), plain(rule.path("quietSharePercent").asDouble()), rule.path("window").asText());
        } else {
            line(b, "  warm-up     auto, ran its whole %s: the JIT compilers never used as little as %s%% of a CPU",
                    rule.path("atMost").asText(), plain(rule.path("quietSharePercent").asDouble()));
            line(b, "              over %s: a warning below says if they still were in the measured part",
                    rule.path("window").asText());
        }
    }

    /** 1 as "1", 0.5 as "0.5". */
    /**
     * The JVM's GC pauses in the measured part, when there were any (since 2026-12-05): every thread
     * stops for one, so each is in the latency of the cycles it caught.
     */
    private static void gcLine(StringBuilder b, JsonNode gc) {
        if (!gc.isObject() || gc.path("pauses").asLong() == 0) {
            return;
        }
        long n = gc.path("pauses").asLong();
        String longest = gc.path("maxPauseMillis").isNumber() && n > 1
                ? String.format(Locale.ROOT, ", the longest %,d ms", gc.path("maxPauseMillis").asLong()) : "";
        line(b, "  gc          the JVM paused %,d time%s for its garbage collector, %,d ms in all%s:",
                n, n == 1 ? "" : "s", gc.path("pauseMillis").asLong(), longest);
        line(b, "              every thread stops, so a pause is in the latency of each cycle it caught");
    }

    /**
     * A closed loop whose last third ran more than 15% faster than its first. After a warm-up, in a measured part too
     * short for the JIT's second-half reading (under 2 s), the cause is mostly the JIT compiling at the part's start
     * what the warm-up never ran (its closes are abortive, so that it leaves no TIME_WAIT), and a longer warm-up does
     * not change that: the default run (5,000 connections, 0.15 s) was still climbing in 3 of 4 runs after --warmup
     * 15s, its compilers taking 44-62% of a CPU in the window, and not in any of 3 of 20,000 connections with
     * --linger 0 (0.7 s; 2026-12-05). So the advice there is a longer measured part; elsewhere, a longer warm-up.
     */
    private static void climbingWarning(StringBuilder b, JsonNode s, JsonNode trend) {
        String rates = "the rate was still climbing " + thirds(trend) + ": not a steady-state figure";
        JsonNode jit = s.path("jit");
        double compiling = jit.path("measuredSharePercent").asDouble(0);
        // Whether a warm-up ran is the scenario's: jit.warmupSeconds is the time before the measured part, which a run
        // with --warmup 0s (every --target run's default) spends too, starting and rehearsing (0.3 s), and which read as a
        // warm-up told a run that had none that a longer one would not help.
        String warmup = s.at("/scenario/warmup").asText("");
        boolean warmedUp = warmup.isEmpty() ? jit.path("warmupSeconds").asDouble(0) > 0 : !warmup.equals("0s");
        boolean switchTransient = warmedUp && !jit.path("lateSharePercent").isNumber()
                && compiling >= SWITCH_COMPILE_PERCENT;
        if (switchTransient) {
            JsonNode sc = s.path("scenario");
            // The warm-up always closes abortively; a run that does too meets no close path the warm-up did not take.
            boolean abortive = "abort".equals(sc.path("closer").asText()) || "0".equals(sc.path("linger").asText());
            note(b, "warning", String.format(Locale.ROOT, "%s. The measured part lasted %.2f s, and the JIT's compilers took"
                    + " %.0f%% of a CPU in it, compiling %s: a longer measured part (--connections, --duration)"
                    + " leaves that start behind; a longer --warmup does not", rates,
                    s.path("durationSeconds").asDouble(), compiling, abortive ? "again at the measured part's start (its new"
                            + " threads; docs/performance.md)" : "what the warm-up did not run (its closes are abortive,"
                            + " so that it leaves no TIME_WAIT; docs/performance.md)"));
            return;
        }
        // A JIT quiet through the second half did not make the climb: a 5-minute run rose 34,044 -> 41,978/s with its
        // compilers at 0.2% of a CPU, its 30 s rates going up and down with a neighbour's load (QA, 2026-12-06), and was
        // told a longer --warmup would help.
        JsonNode late = jit.path("lateSharePercent");
        // Quiet over the whole measured part too: a cold run's JIT can be done by its second half, and made the climb.
        // After a warm-up, what it compiled in the first half is the switch's recompiling, which a longer warm-up does
        // not take away: `churn run --duration 10s` compiled 4.0% and 4.4% of a CPU over its measured part after --warmup
        // 5s, 3.6% and 3.6% after 20s, 0.4-0.7% in the second half of each (2026-12-06). Told "a longer --warmup gives
        // one" there, a user who followed it met the same climb (QA, 2026-12-06).
        if (late.isNumber() && late.asDouble() < QUIET_JIT_PERCENT && (compiling < QUIET_JIT_PERCENT || warmedUp)) {
            String took = compiling < QUIET_JIT_PERCENT
                    ? String.format(Locale.ROOT, "took %.1f%% of a CPU in the second half", late.asDouble())
                    : String.format(Locale.ROOT, "took %.1f%% of a CPU in the second half, and the %.1f%% over the whole"
                            + " measured part was mostly its start's recompiling, as after a warm-up of any length"
                            + " (docs/performance.md)", late.asDouble(), compiling);
            note(b, "warning", String.format(Locale.ROOT, "the rate was still climbing %s, but not from warming up: the JIT's"
                    + " compilers %s. Other work on the machine%s, or the server, changed the pace; a longer --warmup would"
                    + " not, and repeats (churn compare --repeat) show the spread", thirds(trend), took, othersShare(s)));
            return;
        }
        // Against a --target the warm-up's closes reach the user's server as RSTs (so that they leave no TIME_WAIT): why a
        // --target run's warm-up is 0s unless asked, and what an SRE told "a longer --warmup" was not told (QA, 2026-12-06).
        boolean target = !s.at("/scenario/builtInSink").asBoolean(true);
        note(b, "warning", rates + " (JIT, caches); a longer --warmup gives one" + (target
                ? " (its connections close with an RST, which your server sees as resets; a longer --duration does not)"
                : ""));
    }

    /** The rate trend's two thirds, as the warnings give them. */
    private static String thirds(JsonNode trend) {
        return String.format(Locale.ROOT, "(%,.0f/s in the first third of the run, %,.0f/s in the last)",
                trend.path("earlyPerSecond").asDouble(), trend.path("latePerSecond").asDouble());
    }

    /** " (it took N% of the CPU time over the run)" for other processes, or nothing when not measured. */
    private static String othersShare(JsonNode s) {
        double others = s.at("/environment/load/othersPercent").asDouble(-1);
        return others < 0 ? "" : String.format(Locale.ROOT, " (it took %.0f%% of the CPU time over the run)", others);
    }

    /** The JIT's share of a CPU in the measured part's second half under which a climb is not its warming up. */
    private static final double QUIET_JIT_PERCENT = 2;

    /** The measured part's compile share from which a short window's climb is called the JIT's (see climbingWarning). */
    private static final double SWITCH_COMPILE_PERCENT = 20;

    /**
     * "   (server 493, client 7)": whose the final TIME_WAIT are, where the source could tell. Which side closes first
     * decides it, and a server of its own may close first whatever --closer says (nginx with Connection: close).
     */
    private static String sides(JsonNode states) {
        JsonNode sides = states.path("finalTimeWaitSides");
        if (!sides.isObject() || states.at("/final/TIME_WAIT").asLong(0) == 0) {
            return "";
        }
        long server = sides.path("server").asLong();
        long client = sides.path("client").asLong();
        // Read just after the final sample: a few may have ended or appeared between the two.
        return String.format(Locale.ROOT, " (server %,d, client %,d%s)", server, client,
                server + client == states.at("/final/TIME_WAIT").asLong() ? "" : ", a moment later");
    }

    /** "   (213 were there before the run)" when the ports held sockets in this state before the run began, else nothing. */
    private static String before(JsonNode states, String state) {
        long n = states.at("/before/" + state).asLong(0);
        return n > 0 ? String.format(Locale.ROOT, "   (%,d %s there before the run)", n, n == 1 ? "was" : "were") : "";
    }

    /**
     * The notes and warnings of a rendered table, one string each ("warning: the rate was still climbing ..."), their
     * wrapped lines joined: what a page of charts shows beside them, since it draws none of them.
     */
    static List<String> findings(String table) {
        List<String> found = new ArrayList<>();
        StringBuilder current = null;
        for (String line : table.lines().toList()) {
            String kind = line.startsWith("  warning ") ? "warning" : line.startsWith("  note ") ? "note" : null;
            if (kind != null) {
                if (current != null) {
                    found.add(current.toString());
                }
                current = new StringBuilder(kind).append(": ").append(line.substring(2 + kind.length()).strip());
            } else if (current != null && line.startsWith(" ".repeat(14)) && !line.isBlank()) {
                current.append(' ').append(line.strip());
            } else if (current != null) {
                found.add(current.toString());
                current = null;
            }
        }
        if (current != null) {
            found.add(current.toString());
        }
        return found;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
