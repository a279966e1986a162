package dev.churn.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.http.Printable;
import dev.churn.bench.result.LatencyLog;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.ResultsDirectory;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The control port of {@code churn serve}: clients of {@code churn run --join} join a session here,
 * are started at one instant, and send their results, which are merged into the session's folder
 * under {@link Settings#out}. One session runs at a time; the next begins with the next client to
 * join. Each connection has a virtual thread; {@link #close} abandons a running session, merging
 * what already arrived.
 */
public final class ControlServer implements AutoCloseable {

    /** How long a peer may take to greet: churn answers at once. */
    static final Duration GREETING_TIMEOUT = Duration.ofSeconds(5);
    /** A running client reports once a second; this much silence means it is gone. */
    static final Duration SILENCE = Duration.ofSeconds(60);
    /** How long closing waits for a session being merged (reading every client's latency log) to be written. */
    static final Duration FINISH_WAIT = Duration.ofSeconds(25);

    /**
     * @param clients clients per session; 0 lets the first client of each session say
     * @param out     where each session's folder is made
     */
    public record Settings(int clients, Path out, SinkTerms sink, ServerCost.Meter meter) {
        public Settings {
            if (clients < 0) {
                throw new IllegalArgumentException("--clients must be at least 1, got " + clients);
            }
        }

        /** Settings that read nothing of the serving process ({@code meter}: see {@link ServerCost}). */
        public Settings(int clients, Path out, SinkTerms sink) {
            this(clients, out, sink, null);
        }

        /** Settings that check no client's terms. */
        public Settings(int clients, Path out) {
            this(clients, out, null);
        }
    }

    private final ServerSocket server;
    private final Settings settings;
    private final SessionListener listener;
    private final Set<ControlChannel> open = ConcurrentHashMap.newKeySet();
    private final List<SessionReport> ended = new ArrayList<>();
    private final Thread acceptor;
    private Session current;
    private int sessions;
    private int failed;
    private volatile boolean closed;

    private ControlServer(ServerSocket server, Settings settings, SessionListener listener) {
        this.server = server;
        this.settings = settings;
        this.listener = listener;
        this.acceptor = Thread.ofPlatform().daemon().name("churn-control-accept").unstarted(this::acceptLoop);
    }

    /** Listens on this address (port 0: the kernel picks) and starts accepting clients. */
    public static ControlServer start(InetSocketAddress bind, Settings settings, SessionListener listener) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true); // a restarted server must not wait out its last run's TIME_WAITs
            s.bind(bind, 64);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        ControlServer c = new ControlServer(s, settings, listener);
        c.acceptor.start();
        return c;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Sessions ended (merged, or cancelled before they started). */
    public synchronized int sessions() {
        return sessions;
    }

    /** Sessions that were cancelled, lost a client, or whose session.json could not be written. */
    public synchronized int failedSessions() {
        return failed;
    }

    /** The reports of the sessions that ran, in order. */
    public synchronized List<SessionReport> reports() {
        return List.copyOf(ended);
    }

    /** Waits until at least n sessions have ended; false when the wait ran out. */
    public synchronized boolean awaitSessions(int n, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (sessions < n) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Stops accepting; a running session is abandoned and what arrived is merged before this returns. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        Session s;
        synchronized (this) {
            s = current;
        }
        if (s != null && !s.abandon("the server stopped before its results arrived")) {
            synchronized (this) {
                if (current == s) {
                    current = null; // a session no client is in: nothing to merge, count or wait for
                    notifyAll();
                }
            }
        }
        awaitNoSession(FINISH_WAIT); // a session whose last results just came in is being merged: let it be written
        open.forEach(ControlChannel::close);
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void awaitNoSession(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (current != null) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // EMFILE and the like: the next accept may succeed
            }
            Thread.ofVirtual().name("churn-control-" + s.getPort()).start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        String peer = ControlChannel.hostPort((InetSocketAddress) s.getRemoteSocketAddress());
        ControlChannel ch;
        try {
            ch = ControlChannel.accept(s, GREETING_TIMEOUT);
        } catch (IOException e) {
            listener.refused(peer, Printable.escape(e.getMessage()));
            return;
        }
        open.add(ch);
        try {
            handle(ch);
        } catch (RuntimeException e) {
            // Before it joined (handle() drops a member itself): one line, not a stack trace on a dead thread.
            listener.refused(ch.peer(), Printable.escape(unhandled(e)));
        } finally {
            open.remove(ch);
            ch.close();
        }
    }

    /** The longest a session waits for its clients from the first: --start-timeout plus the warm-up, with room. */
    static final Duration MAX_START_TIMEOUT = Duration.ofDays(1);
    /** The most clients a session takes: each holds a control channel and a folder of results. */
    public static final int MAX_CLIENTS = 10_000;

    private void handle(ControlChannel ch) {
        ObjectNode hello;
        try {
            hello = ch.expect(ControlProtocol.HELLO);
        } catch (IOException e) {
            listener.refused(ch.peer(), Printable.escape(e.getMessage()));
            return;
        }
        String label = hello.path("label").asText("");
        int clients = hello.path("clients").asInt(0);
        long timeoutMillis = hello.path("startTimeoutMillis").asLong(60_000);
        // Anything that reaches the port can send a hello: a timeout of Long.MAX_VALUE ms overflowed the deciding
        // thread's nanoseconds and killed it, and every client after was refused for good (QA, 2026-12-06).
        if (timeoutMillis > MAX_START_TIMEOUT.toMillis() || clients < 0 || clients > MAX_CLIENTS) {
            refuse(ch, timeoutMillis > MAX_START_TIMEOUT.toMillis()
                    ? "its start timeout of " + timeoutMillis + " ms is more than a session waits (a day)"
                    : "its session of " + clients + " clients is more than a session takes (" + MAX_CLIENTS + ")", true);
            return;
        }
        Duration timeout = Duration.ofMillis(Math.max(1, timeoutMillis));
        Session session;
        Member m;
        SinkTerms terms;
        try {
            terms = SinkTerms.readFrom(hello);
            if (terms == null && settings.sink() != null) {
                // Every 'churn run --join' of this protocol sends them: a hello without them was admitted unchecked, and
                // its client could measure another sink than this one without a word.
                refuse(ch, "its hello has no sink terms (--request, --response, --closer, --tls, --http) to check against"
                        + " this server's: not a 'churn run --join' of this version", true);
                return;
            }
            List<String> differ = settings.sink() == null || terms == null ? List.of() : settings.sink().differences(terms);
            if (!differ.isEmpty()) {
                refuse(ch, "its " + String.join(", ", differ) + " differ from this server's sink: "
                        + "give 'churn run' and 'churn serve' the same --request, --response, --closer, --tls and --http", true);
                return;
            }
        } catch (ControlProtocolException e) {
            refuse(ch, e.getMessage(), false);
            return;
        }
        try {
            try {
                ResultsDirectory.checkLabel(label);
            } catch (IllegalArgumentException e) {
                throw new Session.Refusal("its " + e.getMessage(), true);
            }
            synchronized (this) {
                if (closed) {
                    throw new Session.Refusal("the server is stopping");
                }
                if (settings.clients() > 0 && clients > 0 && clients != settings.clients()) {
                    throw new Session.Refusal("this server runs sessions of --clients " + settings.clients() + ", and this client says "
                            + clients, true);
                }
                if (current == null) {
                    current = new Session(settings.clients(), settings.out(), listener, this::sessionEnded, settings.meter());
                }
                session = current;
            }
            m = session.join(ch.remote(), label, clients, timeout, reason -> {
                ObjectNode cancel = ControlChannel.message(ControlProtocol.CANCEL);
                cancel.put("reason", reason);
                try {
                    ch.send(cancel);
                } catch (IOException e) {
                    // the client has gone: there is no one to tell
                }
            }, terms);
        } catch (Session.Refusal r) {
            refuse(ch, r.getMessage(), r.badInput); // the client exits 2 on its own bad input, as on differing terms
            return;
        }
        try {
            ObjectNode w = ControlChannel.message(ControlProtocol.WELCOME);
            w.put("label", m.label());
            w.put("index", m.index());
            w.put("joined", m.joined);
            w.put("clients", session.expected());
            ch.send(w);
            ch.readTimeout(timeout.plus(SILENCE)); // the client's own setup, then its clock pings
            ClockOffset clock = pingPong(ch);
            session.ready(m, clock);
            ObjectNode go;
            try {
                // Ready, it sends nothing until its start: a closed channel meanwhile is a client gone, whose place is
                // freed (Session.lost). Unwatched, a client killed while ready still counted, the session started with
                // it, and a client that came in its place was refused (2026-12-05).
                Duration waiting = timeout.plus(SILENCE);
                long at;
                while ((at = session.awaitStart(m, READY_WATCH_MILLIS)) == Session.NOT_STARTED) {
                    if (ch.peerClosed(READY_LOOK_MILLIS, waiting)) {
                        throw new EOFException("closed while ready");
                    }
                }
                go = ControlChannel.message(ControlProtocol.START);
                go.put("atEpochNanos", at);
            } catch (Session.Cancelled c) {
                if (m.claimCancelNotice()) {
                    try {
                        m.noticeCancel(c.getMessage()); // the session is over; its clients are told why, and none is "lost"
                    } finally {
                        session.told();
                    }
                }
                return;
            }
            ch.send(go);
            ch.readTimeout(SILENCE);
            receiveRun(ch, session, m);
        } catch (InterruptedException e) {
            session.lost(m, "the server stopped");
        } catch (EOFException | SocketException e) {
            session.lost(m, "its channel closed before its results arrived");
        } catch (SocketTimeoutException e) {
            session.lost(m, "silent for " + SILENCE.toSeconds() + " s before its results arrived");
        } catch (IOException e) {
            session.lost(m, e.getMessage());
        } catch (RuntimeException e) {
            // Whatever a client's messages break, it is that client lost: a file name with a NUL byte threw here, the
            // client was neither lost nor complete, and every client after it was refused (QA, 2026-12-06).
            session.lost(m, unhandled(e));
        }
    }

    private static String unhandled(RuntimeException e) {
        return "sent what the server could not handle (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + ControlChannel.clip(e.getMessage())) + ")";
    }

    /**
     * How often a ready client's channel is looked at while it waits for its start, and how long each look may wait:
     * short, since the start message waits for it, and the start is only {@link Session#LEAD} ahead.
     */
    static final int READY_WATCH_MILLIS = 200;
    static final int READY_LOOK_MILLIS = 5;

    // Answers pings until the client says it is ready, with the offset it measured.
    private static ClockOffset pingPong(ControlChannel ch) throws IOException {
        while (true) {
            ObjectNode msg = ch.expect(ControlProtocol.PING, ControlProtocol.READY);
            long t1 = EpochClock.nanos();
            if (msg.path("type").asText().equals(ControlProtocol.READY)) {
                return new ClockOffset(msg.path("offsetNanos").asLong(), msg.path("rttNanos").asLong(), msg.path("samples").asInt());
            }
            ObjectNode pong = ControlChannel.message(ControlProtocol.PONG);
            pong.put("t0", msg.path("t0").asLong());
            pong.put("t1", t1);
            pong.put("t2", EpochClock.nanos());
            ch.send(pong);
        }
    }

    // The run: its start, its progress, then its results files, stored in the session's folder.
    private void receiveRun(ControlChannel ch, Session session, Member m) throws IOException {
        while (true) {
            ObjectNode msg = ch.expect(ControlProtocol.STARTED, ControlProtocol.PROGRESS, ControlProtocol.RESULTS);
            switch (msg.path("type").asText()) {
                case ControlProtocol.STARTED -> session.started(m, msg.path("atEpochNanos").asLong());
                case ControlProtocol.PROGRESS -> session.progress(m, msg.path("completed").asLong());
                default -> {
                    int files = msg.path("files").size();
                    if (files > ControlProtocol.MAX_FILES) {
                        throw new ControlProtocolException(ch.peer() + " sent " + files + " files, more than a run's results"
                                + " (at most " + ControlProtocol.MAX_FILES + ")");
                    }
                    Path dir = session.folder(m);
                    Set<String> seen = new HashSet<>();
                    for (JsonNode f : msg.path("files")) {
                        ObjectNode h = ch.expect(ControlProtocol.FILE);
                        String name = h.path("name").asText();
                        if (!name.equals(f.asText()) || !acceptable(name) || !seen.add(name)) {
                            throw new ControlProtocolException(ch.peer() + " sent a file named '" + ControlChannel.clip(name)
                                    + "', which is not one "
                                    + "of a run's results files");
                        }
                        ch.receiveFile(h, dir.resolve(name));
                    }
                    checkLog(ch, dir);
                    // Counted before the client is told: a server stopped while the files came in had merged the session
                    // without them and counted it lost, yet told it 'stored' (review, 2026-12-07).
                    if (!session.complete(m, dir, msg.path("exitCode").asInt(-1), msg.path("completed").asLong())) {
                        throw new ControlProtocolException("the server stopped before " + ch.peer() + "'s results had"
                                + " arrived: the session was merged without them (they are in " + dir + ")");
                    }
                    ObjectNode ok = ControlChannel.message(ControlProtocol.STORED);
                    ok.put("path", dir.toAbsolutePath().toString());
                    ch.send(ok);
                    session.completed(m);
                    return;
                }
            }
        }
    }

    /**
     * Refuses results whose latency log the session's merge could not read or hold ({@link LatencyLog#read}): the
     * client that sent it is lost, and the others' results are merged. A log of 5-digit histograms of 2^61 ns ran the
     * server out of memory in the merge, and the session never ended (QA, 2026-12-06).
     */
    private static void checkLog(ControlChannel ch, Path dir) throws IOException {
        Path log = dir.resolve(ResultCollector.FILE);
        if (!Files.isRegularFile(log)) {
            // A run whose log could not be written (ResultCollector gives it up and runs on) has nothing to merge: taken
            // as complete, it left the whole session unmerged, the others' results too (review, 2026-12-07).
            throw new ControlProtocolException(ch.peer() + " sent results that cannot be merged: no "
                    + ResultCollector.FILE + " among them");
        }
        try {
            LatencyLog.read(log, (phase, from, to, h) -> { });
        } catch (IllegalArgumentException e) {
            throw new ControlProtocolException(ch.peer() + " sent results that cannot be merged: " + e.getMessage());
        }
    }

    /** A run's own files (summary.json, latency.hlog, states.csv, *.hgrm, report.html) and join.json. */
    static boolean acceptable(String name) {
        return (ResultsDirectory.isResultsFile(name) || name.equals(JoinRecord.FILE)) && !name.contains("/")
                && !name.startsWith(".");
    }

    /** @param terms the client's terms differ from the sink's: its own command line is at fault (bad input) */
    private void refuse(ControlChannel ch, String reason, boolean terms) {
        // Its parts from the peer are clipped where they are quoted; this is the last look before a terminal shows it.
        // A hello's label of ESC]0;PWNED, ESC[2J and a newline then a made-up "session: ... stored" line was printed as
        // it came, and a label of 60,000 characters made a line of 60 KB (QA, 2026-12-06).
        reason = Printable.escape(reason);
        listener.refused(ch.peer(), reason);
        try {
            ObjectNode r = ControlChannel.message(ControlProtocol.REFUSED);
            r.put("reason", reason);
            r.put("terms", terms);
            ch.send(r);
        } catch (IOException e) {
            // the client is gone already: nothing to tell it
        }
    }

    private synchronized void sessionEnded() {
        Session s = current;
        current = null;
        if (s != null && s.endedEmpty()) {
            notifyAll(); // no client was in it: not a session, as close() counts one abandoned with no deciding thread
            return;
        }
        sessions++;
        if (s != null) {
            SessionReport r = s.report();
            if (r != null) {
                ended.add(r);
            }
            if (r == null || r.partial() || !s.recorded()) {
                failed++;
            }
        }
        notifyAll();
    }
}
