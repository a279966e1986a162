package dev.churn.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.http.Printable;
import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.RunMerger;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One session of a control server: clients join until the expected number are ready, all start at
 * one instant, and their results are collected and merged. The first client to join fixes the
 * session's size (unless the server did) and starts the start timeout; a client lost before the
 * start frees its place, one lost after it is reported as missing and the others' merge is written,
 * marked partial. Every method is called from a client's own handler thread.
 */
final class Session {

    /** How far ahead of the decision the start instant lies: time for the message to reach every client. */
    static final Duration LEAD = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Why a client may not join; its reason goes back to it in one line. */
    static final class Refusal extends Exception {
        /** The client's own options are at fault (its --clients, its --label): bad input, exit 2, on its side. */
        final boolean badInput;

        Refusal(String reason) {
            this(reason, false);
        }

        Refusal(String reason, boolean badInput) {
            super(reason, null, false, false);
            this.badInput = badInput;
        }
    }

    /** The session did not start; the reason goes to every client waiting. */
    static final class Cancelled extends Exception {
        Cancelled(String reason) {
            super(reason, null, false, false);
        }
    }

    private enum Phase { JOINING, STARTED, CANCELLED, ENDED }

    private final Path outRoot;
    private final SessionListener listener;
    private final Runnable onEnd;
    private final List<Member> members = new ArrayList<>();
    private int expected;
    /** The size the server gave (0: the first client's --clients). */
    private final int fixedExpected;
    private Duration startTimeout;
    private long firstJoinNanos;
    private int nextIndex = 1;
    /** A thread runs {@link #decide}. */
    private boolean deciding;
    /** Abandoned by the server with no client in it, its deciding thread still running: ended with nothing counted. */
    private boolean endedEmpty;
    private Phase phase = Phase.JOINING;
    private long startAt;
    private Path dir;
    private String cancelReason;
    private SessionReport report;
    private final ServerCost.Meter meter;
    /** The serving process when the session started, or null (no meter). */
    private ServerCost.Reading atStart;
    /** Its session.json could not be written. */
    private boolean unrecorded;
    /** Clients told of a cancellation: the session ends (and a server may exit) only once they have been. */
    private int told;

    Session(int expected, Path outRoot, SessionListener listener, Runnable onEnd) {
        this(expected, outRoot, listener, onEnd, null);
    }

    /** {@code meter}: reads the serving process at the session's start and end ({@link ServerCost}); null for none. */
    Session(int expected, Path outRoot, SessionListener listener, Runnable onEnd, ServerCost.Meter meter) {
        this.meter = meter;
        this.expected = expected;
        this.fixedExpected = expected;
        this.outRoot = outRoot;
        this.listener = listener;
        this.onEnd = onEnd;
    }

    /**
     * Adds a client, or refuses it with a reason it can act on. {@code cancelNotice} sends it the
     * session's cancellation while it is not yet ready (still warming up): without it, a client
     * of a server that exits with its cancelled session finds only a closed channel. {@code terms}: what it joined
     * with, which holds it to the shape of the session's first client (null when it said none).
     */
    Member join(InetSocketAddress from, String label, int clients, Duration timeout, Consumer<String> cancelNotice,
                SinkTerms terms) throws Refusal {
        Member m;
        int joined;
        synchronized (this) {
            if (phase != Phase.JOINING) {
                throw new Refusal("a session of " + expected + " clients is already running on this server; join when it ends");
            }
            if (clients > 0 && expected > 0 && clients != expected) {
                throw new Refusal("this session is for " + expected + " clients, and this one says --clients " + clients, true);
            }
            if (members.size() >= Math.max(1, expected)) {
                throw new Refusal("this session already has its " + expected + " clients");
            }
            Member first = members.isEmpty() ? null : members.getFirst();
            if (first != null && first.terms != null && terms != null) {
                List<String> differ = first.terms.shapeDifferences(terms);
                if (!differ.isEmpty()) {
                    throw new Refusal("its " + String.join(", ", differ) + " differ from the session's first client, "
                            + first.label + ": a session adds its clients' runs up, which takes runs of one shape; give"
                            + " every client the same --transport, --linger and --concurrency or --rate", true);
                }
            }
            if (members.isEmpty()) {
                expected = expected > 0 ? expected : Math.max(1, clients);
                startTimeout = timeout;
                firstJoinNanos = System.nanoTime();
                // One deciding thread at a time. One per first client, after a first client was lost before the
                // start, left two: the one that did not start the session found it started, took that for a
                // cancellation and cancelled it ("session cancelled: null", its clients' results refused).
                if (!deciding) {
                    deciding = true;
                    Thread.ofPlatform().daemon().name("churn-session-start").start(this::decide);
                }
            }
            m = new Member(uniqueLabel(label), nextIndex++, from, cancelNotice);
            m.terms = terms;
            members.add(m);
            joined = members.size();
            m.joined = joined;
        }
        listener.joined(m, joined, expected());
        return m;
    }

    synchronized int expected() {
        return expected;
    }

    /** The client measured its clock and is ready. */
    void ready(Member m, ClockOffset clock) {
        synchronized (m) {
            m.clock = clock;
            m.status = Member.Status.READY;
        }
        listener.ready(m);
        synchronized (this) {
            notifyAll();
        }
    }

    /** The client has been sent the cancellation (or could not be). */
    synchronized void told() {
        told++;
        notifyAll();
    }

    // Bounded: a client that does not take the message in 2 s is gone anyway.
    private synchronized void awaitTold(int clients) {
        long end = System.nanoTime() + 2_000_000_000L;
        while (told < clients) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@link #awaitStart(Member, long)}'s answer while the session has not started yet. */
    static final long NOT_STARTED = Long.MIN_VALUE;

    /** Blocks until the session starts (returns the instant, server clock) or is cancelled. */
    long awaitStart(Member m) throws Cancelled, InterruptedException {
        long at;
        while ((at = awaitStart(m, 0)) == NOT_STARTED) {
            // waits for ever
        }
        return at;
    }

    /**
     * Waits at most {@code millis} (0: for ever) for the session to start: the instant (server clock), or
     * {@link #NOT_STARTED} when it is still joining; Cancelled when it was cancelled.
     */
    long awaitStart(Member m, long millis) throws Cancelled, InterruptedException {
        synchronized (this) {
            long end = System.nanoTime() + millis * 1_000_000;
            while (phase == Phase.JOINING) {
                long left = millis == 0 ? 0 : end - System.nanoTime();
                if (millis > 0 && left <= 0) {
                    return NOT_STARTED;
                }
                wait(millis == 0 ? 0 : Math.max(1, left / 1_000_000));
            }
            if (phase == Phase.CANCELLED) {
                throw new Cancelled(cancelReason);
            }
            synchronized (m) {
                m.status = Member.Status.RUNNING;
            }
            return startAt;
        }
    }

    /** The client's measured part began at this instant of its own clock. */
    void started(Member m, long clientNanos) {
        synchronized (m) {
            m.startedServerNanos = m.clock == null ? clientNanos : m.clock.toServer(clientNanos);
        }
    }

    void progress(Member m, long completed) {
        synchronized (m) {
            m.completed = completed;
        }
    }

    /** The folder for this client's results, made when they start to arrive. */
    Path folder(Member m) throws IOException {
        Path d;
        synchronized (this) {
            d = dir.resolve(m.label);
        }
        Files.createDirectories(d);
        return d;
    }

    /**
     * The client's results are all written: counted, or false when the server stopped while the files came in (the
     * client is lost, and the session is merged without them). Then {@link #completed}, once the client is told.
     */
    boolean complete(Member m, Path folder, int exitCode, long completed) {
        synchronized (m) {
            if (m.status == Member.Status.LOST) {
                return false;
            }
            m.dir = folder;
            m.exitCode = exitCode;
            m.completed = completed;
            m.status = Member.Status.COMPLETE;
        }
        return true;
    }

    /** After {@link #complete} counted the client's results: said, and the session ends if it was the last. */
    void completed(Member m) {
        listener.stored(m);
        endIfDone();
    }

    /** The client is gone before its results arrived (or before the start, which frees its place). */
    void lost(Member m, String reason) {
        boolean before;
        if (m.toldOfCancel()) {
            return; // it was told the session is cancelled; closing its channel is what it does next
        }
        synchronized (this) {
            synchronized (m) {
                if (m.status == Member.Status.COMPLETE || m.status == Member.Status.LOST) {
                    return;
                }
                m.status = Member.Status.LOST;
                m.lostReason = Printable.escape(reason); // shown by serve and session.json: it may quote the client
            }
            before = phase == Phase.JOINING;
            if (before) {
                members.remove(m);
                if (members.isEmpty()) {
                    expected = fixedExpected; // the next first client sizes the session again, unless the server did
                }
                notifyAll(); // the deciding thread: with no client left, the session waits for a first one again
            }
        }
        if (before) {
            listener.left(m);
        } else {
            listener.lost(m);
            endIfDone();
        }
    }

    /**
     * The server is stopping: every client still running is lost, and what arrived is merged now. True when the
     * session will still end (its end callback runs); false when it had nothing left to end: every client that joined
     * was lost before the start and no thread is deciding, so nothing would ever call the end callback, and the server
     * waited out its 25 s for it (QA, 2026-12-07: a joined client stopped by Ctrl-C, then the server).
     */
    boolean abandon(String reason) {
        List<Member> running;
        synchronized (this) {
            if (phase == Phase.JOINING) {
                phase = Phase.CANCELLED;
                cancelReason = "the server stopped before the session started";
                notifyAll();
                return deciding || !members.isEmpty();
            }
            if (phase != Phase.STARTED) {
                return true; // ended or cancelled by its deciding thread, which ends it
            }
            running = List.copyOf(members);
        }
        for (Member m : running) {
            lost(m, reason);
        }
        return true;
    }

    synchronized boolean started() {
        return phase == Phase.STARTED || phase == Phase.ENDED;
    }

    /** The report, once the session has ended; null before (or when it was cancelled). */
    synchronized SessionReport report() {
        return report;
    }

    /** False when the session ended without its session.json: a session that failed, as one short of a client. */
    synchronized boolean recorded() {
        return !unrecorded;
    }

    /** Whether the server stopped it with no client in it (nothing to count: as if it never began). */
    synchronized boolean endedEmpty() {
        return endedEmpty;
    }

    synchronized String cancelReason() {
        return cancelReason;
    }

    // The start timeout's thread: starts the session once every client is ready, or cancels it.
    private void decide() {
        boolean start;
        List<Member> at;
        Path d = null;
        synchronized (this) {
            // Emptiness first: a server without --clients gets expected 0 back when its last client is lost, and
            // "0 ready of 0" then started a session of 0 clients that never ended and refused every client after it
            // (QA, 2026-12-06: a joined client stopped by Ctrl-C while it waited for the others).
            while (phase == Phase.JOINING && (members.isEmpty() || readyCount() < expected)) {
                if (members.isEmpty()) {
                    // Every client that joined was lost before the start: their places are free, and the session is
                    // as it was before any joined. The next first client starts the timeout again.
                    deciding = false;
                    return;
                }
                // Read each time: a first client that came after the others were lost started the timeout again.
                long left = firstJoinNanos + startTimeout.toNanos() - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    break;
                }
            }
            deciding = false;
            // Abandoned while joining (the server stops): cancelled, with the reason abandon() gave.
            boolean abandoned = phase != Phase.JOINING;
            if (abandoned && members.isEmpty()) {
                // The server stopped after every client had left, before this thread woke to see them go: a session no
                // client is in, which abandon() ends with nothing counted when no thread decides it. It was counted a
                // cancelled session (ControlServerTest, beside two busy loops, 2026-12-07).
                endedEmpty = true;
                notifyAll();
            }
            start = !abandoned && readyCount() == expected;
            if (start) {
                startAt = EpochClock.nanos() + LEAD.toNanos();
                atStart = meter == null ? null : meter.read(); // a lead before the start: idle, nearly nothing of the CPU
                try {
                    dir = ResultsDirectory.create(outRoot, "session", EpochClock.instant(startAt)).path();
                    d = dir;
                    phase = Phase.STARTED;
                } catch (IOException e) {
                    start = false;
                    cancelReason = "the server cannot write the session's results: " + e.getMessage();
                    phase = Phase.CANCELLED;
                }
            } else if (!abandoned) {
                cancelReason = missingReason();
                phase = Phase.CANCELLED;
            }
            at = List.copyOf(members);
            notifyAll();
        }
        boolean empty;
        synchronized (this) {
            empty = endedEmpty;
        }
        if (empty) {
            onEnd.run();
        } else if (start) {
            listener.starting(startAt, at, d);
        } else {
            tellThoseNotReady(at);
            awaitTold(at.size());
            listener.cancelled(cancelReason);
            synchronized (this) {
                phase = Phase.CANCELLED;
            }
            onEnd.run();
        }
    }

    // A client that joined but is not ready is warming up, not reading its channel: the reason waits
    // there for it, and it reads it once it is done, even after this server has exited.
    private void tellThoseNotReady(List<Member> at) {
        String reason;
        synchronized (this) {
            reason = cancelReason;
        }
        for (Member m : at) {
            if (m.status() != Member.Status.READY && m.claimCancelNotice()) {
                try {
                    m.noticeCancel(reason);
                } finally {
                    told();
                }
            }
        }
    }

    private String missingReason() {
        List<Member> notReady = members.stream().filter(m -> m.status() != Member.Status.READY).toList();
        List<Member> ready = members.stream().filter(m -> m.status() == Member.Status.READY).toList();
        int never = expected - members.size();
        String s = String.format(Locale.ROOT, "%d of %d clients ready in %s", ready.size(), expected, seconds(startTimeout));
        if (!ready.isEmpty()) {
            s += " (" + ready.stream().map(Member::toString).collect(Collectors.joining(", ")) + ")";
        }
        List<String> missing = new ArrayList<>();
        for (Member m : notReady) {
            missing.add(m + " joined but was not ready");
        }
        if (never > 0) {
            missing.add(never + (never == 1 ? " client never joined" : " clients never joined"));
        }
        return s + "; missing: " + String.join(", ", missing);
    }

    private int readyCount() {
        int n = 0;
        for (Member m : members) {
            if (m.status() == Member.Status.READY) {
                n++;
            }
        }
        return n;
    }

    private String uniqueLabel(String label) {
        String l = label;
        for (int n = 2; taken(l); n++) {
            l = label + "-" + n;
        }
        return l;
    }

    private boolean taken(String l) {
        return reserved(l) || members.stream().anyMatch(m -> m.label.equals(l));
    }

    /**
     * A name the session itself writes in its folder, which a client's folder must not take: a client labelled
     * {@code merged} had its folder overwritten by the merge, and one labelled {@code session.json} left the session's
     * record unwritten (QA, 2026-12-06). Such a client is given {@code merged-2}, as a second client of one label is.
     * Any case: a folder on a case-insensitive file system is the same for {@code Merged}.
     */
    static boolean reserved(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        return l.equals(SessionReport.MERGED) || l.equals(SessionReport.FILE) || ResultsDirectory.isResultsFile(l);
    }

    private void endIfDone() {
        List<Member> all;
        synchronized (this) {
            if (phase != Phase.STARTED) {
                return;
            }
            for (Member m : members) {
                Member.Status s = m.status();
                if (s != Member.Status.COMPLETE && s != Member.Status.LOST) {
                    return;
                }
            }
            phase = Phase.ENDED;
            all = List.copyOf(members);
        }
        SessionReport r = null;
        try {
            r = finish(all);
            synchronized (this) {
                report = r;
            }
            listener.ended(r);
        } finally {
            // Whatever the merge met, the session ends: an OutOfMemoryError in it left the session running for good,
            // and every client after was refused (QA, 2026-12-06).
            onEnd.run();
        }
    }

    // Merges the clients whose results arrived, writes session.json, and marks the merge partial when some are missing.
    private SessionReport finish(List<Member> all) {
        // Read before the merge, whose own CPU is not the session's serving: read after it, it was (review, 2026-12-07).
        ServerCost server = meter == null ? null : ServerCost.between(atStart, meter.read());
        List<SessionReport.MemberReport> rs = new ArrayList<>();
        for (Member m : all) {
            synchronized (m) {
                Long late = m.startedServerNanos == 0 ? null : m.startedServerNanos - startAt;
                rs.add(new SessionReport.MemberReport(m.label, m.index, m.host(), m.status, m.clock, late, m.completed, m.exitCode,
                        m.dir, m.lostReason, m.status == Member.Status.COMPLETE ? SessionReport.MemberReport.firstCycleAfter(m.dir)
                                : null));
            }
        }
        List<SessionReport.MemberReport> complete = rs.stream().filter(r -> r.status() == Member.Status.COMPLETE).toList();
        List<Path> done = complete.stream().map(SessionReport.MemberReport::dir).toList();
        // Each client's timestamps moved onto the server's clock by the offset it measured, so the
        // merge's window and seconds line up even between hosts whose clocks do not.
        long[] shifts = complete.stream().mapToLong(r -> r.clock() == null ? 0 : Math.round(r.clock().offsetNanos() / 1e6)).toArray();
        JsonNode merged = null;
        String note = null;
        if (done.size() >= 2) {
            Path out = dir.resolve(SessionReport.MERGED);
            try {
                merged = merge(done, shifts, out, false);
            } catch (IllegalArgumentException refused) {
                // Started together, yet their scenarios differ (or a window is empty): merged anyway, saying why.
                // Said in the session's words: nobody gave --force here, and "will not merge ... merges anyway" read as a
                // contradiction (QA, 2026-12-06).
                note = "merged, as the clients started together, though "
                        + refused.getMessage().replaceFirst("^will not merge: ", "").replaceFirst("; --force merges anyway$", "");
                try {
                    merged = merge(done, shifts, out, true);
                } catch (IllegalArgumentException | IOException e) {
                    note = "not merged: " + e.getMessage();
                } catch (RuntimeException | OutOfMemoryError e) {
                    note = notMerged(e);
                }
            } catch (IOException e) {
                note = "not merged: " + e.getMessage();
            } catch (RuntimeException | OutOfMemoryError e) {
                // Files a client sent: anything the merge did not foresee in them is a merge not written, said in the
                // session's table, and the session ends. The merge's memory is its own, freed as it unwinds.
                note = notMerged(e);
            }
        } else {
            note = done.size() == 1 ? "one client's results arrived: its folder is the whole run" : "no client's results arrived";
        }
        SessionReport r = new SessionReport(dir, startAt, expected(), List.copyOf(rs), merged, note, server);
        if (merged != null) {
            try {
                markMerged(dir.resolve(SessionReport.MERGED), r);
                merged = SummaryJson.read(dir.resolve(SessionReport.MERGED));
                r = new SessionReport(dir, startAt, expected(), List.copyOf(rs), merged, note, server);
            } catch (IOException e) {
                r = new SessionReport(dir, startAt, expected(), List.copyOf(rs), merged, "the merged summary is not marked: " + e.getMessage(),
                        server);
            }
        }
        try {
            AtomicFile.write(dir.resolve(SessionReport.FILE), JSON.writeValueAsBytes(r.toJson(JSON)), true);
        } catch (IOException e) {
            listener.failed(dir.toString(), "cannot write " + SessionReport.FILE + ": " + e.getMessage());
            synchronized (this) {
                unrecorded = true; // a failed session: serve --sessions exited 0 without its record (QA, 2026-12-06)
            }
        }
        return r;
    }

    private static String notMerged(Throwable e) {
        return "not merged: " + (e instanceof OutOfMemoryError ? "the server ran out of memory merging the clients' latency logs"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private static JsonNode merge(List<Path> done, long[] shifts, Path out, boolean force) throws IOException {
        RunMerger.Plan plan = RunMerger.read(done, force, shifts);
        return RunMerger.write(plan, ResultsDirectory.at(out, true), RunMerger.DEFAULT_LABEL);
    }

    // The merged summary says it came from a session, and which clients it lacks.
    private static void markMerged(Path merged, SessionReport r) throws IOException {
        JsonNode s = SummaryJson.read(merged);
        if (s instanceof ObjectNode o) {
            ObjectNode session = o.putObject("session");
            session.put("clients", r.expected());
            session.put("complete", r.complete().size());
            session.put("partial", r.partial());
            var missing = session.putArray("missing");
            r.lost().forEach(m -> missing.add(m.label()));
            r.startSpreadMillis().ifPresent(v -> session.put("startSpreadMillis", v));
            AtomicFile.write(merged.resolve(SummaryJson.FILE), JSON.writeValueAsBytes(o), true);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
