package dev.churn.bench.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.Tick;
import dev.churn.bench.http.Printable;
import dev.churn.bench.result.AtomicFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The client's end of the control channel ({@code churn run --join}): joins a session, measures its
 * clock against the server's, learns the start instant, tells the server when its measured part
 * began and how it goes (as a {@link RunListener}), and sends its results folder at the end.
 * Use: {@code join} → {@code synchronize} → {@code awaitStart} → sleep until {@link #startAtLocal} →
 * {@link #begin} (both in the engine's start gate) → run with this as a listener → {@code sendResults}.
 */
public final class JoinClient implements RunListener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Longest lead a start instant may have: a server asking for more is not one this client trusts. */
    private static final Duration MAX_LEAD = Duration.ofSeconds(30);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    /** The server refused this client, or cancelled the session before it started: one line saying why. */
    private volatile Runnable onBroken = () -> {};
    private volatile Runnable onNotice = () -> {};
    private boolean noticed;

    public static final class Refused extends IOException {
        private final boolean terms;

        public Refused(String message) {
            this(message, false);
        }

        Refused(String message, boolean terms) {
            super(message);
            this.terms = terms;
        }

        /**
         * Refused for this client's own options: its --request, --response, --closer, --tls or --http differ from the
         * server's, or its --clients or --label do not fit: bad input, as the client reports it.
         */
        public boolean terms() {
            return terms;
        }
    }

    /**
     * What the server said to the hello.
     *
     * @param label   this client's label in the session (made unique by the server)
     * @param index   1-based, in the order of joining
     * @param clients the session's size
     */
    public record Welcome(String label, int index, int clients, int joined) {
        /** A welcome from a server that does not say how many had joined: the index stands for it. */
        public Welcome(String label, int index, int clients) {
            this(label, index, clients, index);
        }
    }

    private final ControlChannel channel;
    private final Welcome welcome;
    private ClockOffset clock;
    private long startAt;
    private volatile long startedAt;
    private volatile IOException broken;
    /** The run is on and {@link #watcher} looks at the channel. */
    private volatile boolean watching;
    private Thread watcher;
    private long lastProgress;

    private JoinClient(ControlChannel channel, Welcome welcome) {
        this.channel = channel;
        this.welcome = welcome;
    }

    /**
     * Connects to the control port and joins its session. ControlProtocolException when the port is
     * not churn's or speaks another version, {@link Refused} when the server will not have this client,
     * IOException when it cannot be reached.
     */
    public static JoinClient join(InetSocketAddress control, String label, int clients, Duration startTimeout, Duration timeout)
            throws IOException {
        return join(control, label, clients, null, startTimeout, timeout);
    }

    /** Joins saying this client's terms (null: none), which the server checks against its sink's. */
    public static JoinClient join(InetSocketAddress control, String label, int clients, SinkTerms terms, Duration startTimeout,
                                  Duration timeout) throws IOException {
        ControlChannel ch = ControlChannel.connect(control, timeout);
        try {
            ObjectNode hello = ControlChannel.message(ControlProtocol.HELLO);
            hello.put("label", label);
            hello.put("clients", clients);
            hello.put("startTimeoutMillis", startTimeout.toMillis());
            if (terms != null) {
                terms.writeTo(hello);
            }
            ch.send(hello);
            ObjectNode w = ch.expect(ControlProtocol.WELCOME, ControlProtocol.REFUSED);
            if (w.path("type").asText().equals(ControlProtocol.REFUSED)) {
                throw new Refused("the server at " + ch.peer() + " refused this client: " + said(w.path("reason").asText()),
                        w.path("terms").asBoolean());
            }
            return new JoinClient(ch, new Welcome(Printable.clip(w.path("label").asText(label)), w.path("index").asInt(),
                    w.path("clients").asInt(),
                    w.path("joined").asInt(w.path("index").asInt())));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Welcome welcome() {
        return welcome;
    }

    /** The control port, host:port. */
    public String server() {
        return channel.peer();
    }

    /** Measures the clock offset ({@value ControlProtocol#CLOCK_SAMPLES} ping-pongs, the shortest kept). */
    public ClockOffset synchronize() throws IOException {
        List<ClockOffset.Sample> samples = new ArrayList<>();
        for (int i = 0; i < ControlProtocol.CLOCK_SAMPLES; i++) {
            ObjectNode ping = ControlChannel.message(ControlProtocol.PING);
            long t0 = EpochClock.nanos();
            ping.put("t0", t0);
            channel.send(ping);
            // A session cancelled while this client warmed up left its reason on the channel, ahead of any pong.
            ObjectNode pong = channel.expect(ControlProtocol.PONG, ControlProtocol.CANCEL);
            if (pong.path("type").asText().equals(ControlProtocol.CANCEL)) {
                throw new Refused("the server at " + channel.peer() + " cancelled the start: "
                        + said(pong.path("reason").asText()));
            }
            long t3 = EpochClock.nanos();
            if (pong.path("t0").asLong() != t0) {
                throw new ControlProtocolException(channel.peer() + " answered another ping than the one sent");
            }
            samples.add(new ClockOffset.Sample(t0, pong.path("t1").asLong(), pong.path("t2").asLong(), t3));
        }
        clock = ClockOffset.of(samples);
        return clock;
    }

    /**
     * Says this client is ready and waits, at most {@code max}, for the start instant (server clock,
     * epoch nanoseconds). {@link Refused} when the session is cancelled.
     */
    public long awaitStart(Duration max) throws IOException {
        if (clock == null) {
            synchronize();
        }
        ObjectNode ready = ControlChannel.message(ControlProtocol.READY);
        ready.put("offsetNanos", clock.offsetNanos());
        ready.put("rttNanos", clock.rttNanos());
        ready.put("samples", clock.samples());
        channel.send(ready);
        channel.readTimeout(max);
        ObjectNode m;
        try {
            m = channel.expect(ControlProtocol.START, ControlProtocol.CANCEL);
        } catch (SocketTimeoutException e) {
            throw new IOException("the server at " + channel.peer() + " gave no start in " + max.toSeconds() + " s");
        }
        if (m.path("type").asText().equals(ControlProtocol.CANCEL)) {
            throw new Refused("the server at " + channel.peer() + " cancelled the start: " + said(m.path("reason").asText()));
        }
        long at = m.path("atEpochNanos").asLong();
        long lead = clock.toClient(at) - EpochClock.nanos();
        if (lead > MAX_LEAD.toNanos()) {
            throw new ControlProtocolException(channel.peer() + " asked for a start " + lead / 1_000_000_000 + " s away (at most "
                    + MAX_LEAD.toSeconds() + " s is believed)");
        }
        startAt = at;
        channel.readTimeout(Duration.ZERO);
        return at;
    }

    /** The start instant on this client's own clock. */
    public long startAtLocal() {
        return clock.toClient(startAt);
    }

    public ClockOffset clock() {
        return clock;
    }

    /**
     * The measured part's first instant ({@link System#nanoTime}): when it began, as join.json gives it, is this rather than
     * the gate's opening ({@link #begin}), which the listeners' readings after a warm-up follow by 5-63 ms.
     */
    public void measuredFrom(long nanoTime) {
        if (startedAt != 0) {
            startedAt = EpochClock.nanos() - (System.nanoTime() - nanoTime);
            // Told again: the server's start spread read the gate's opening, 1.4 ms where the clients' own measured
            // parts began 32 ms apart (QA, 2026-12-06). The later started holds.
            ObjectNode m = ControlChannel.message(ControlProtocol.STARTED);
            m.put("atEpochNanos", startedAt);
            quietly(m);
        }
    }

    /** When the measured part began (this client's clock), 0 before. */
    public long startedAt() {
        return startedAt;
    }

    /** What the run's listener could not tell the server (the channel broke mid-run), or null. */
    public IOException broken() {
        return broken;
    }

    /**
     * The measured part begins now: called as the engine's start gate opens, right before it takes
     * the measured window's first instant (the first cycles follow within the same millisecond once
     * warm, tens of milliseconds cold).
     */
    public void begin() {
        startedAt = EpochClock.nanos();
        ObjectNode m = ControlChannel.message(ControlProtocol.STARTED);
        m.put("atEpochNanos", startedAt);
        quietly(m);
        watch();
    }

    /** How long each look at the channel waits during the run: how soon a server that went is noticed. */
    static final int WATCH_LOOK_MILLIS = 50;

    /**
     * Watches the channel while the run goes on: the server says nothing then, so a closed channel is a server gone,
     * and the run stops at once. Noticed only when a progress line failed to go out, the client hammered the server's
     * closed port for 1.5-3 s after it had gone (79,321 refused connects beside 48,743 made, 2026-12-05).
     */
    private void watch() {
        watching = true;
        watcher = Thread.ofVirtual().name("churn-join-watch").start(() -> {
            try {
                while (watching && broken == null) {
                    if (channel.peerClosed(WATCH_LOOK_MILLIS, Duration.ZERO)) {
                        gone(new IOException("the server closed the channel"));
                        return;
                    }
                    if (channel.hasUnread()) {
                        return; // a message: the results' exchange reads it
                    }
                }
            } catch (IOException e) {
                gone(e);
            }
        });
    }

    private synchronized void gone(IOException e) {
        if (watching) {
            broke(e);
        }
    }

    /** The channel broke mid-run (the first break only): what sendResults says, and the run ends (onBroken). */
    private synchronized void broke(IOException e) {
        if (broken == null) {
            broken = new IOException("lost the control channel to " + channel.peer() + " during the run, which stopped "
                    + "there: " + e.getMessage(), e);
            onBroken.run();
        }
    }

    /** Ends the watch before this client reads the channel itself; the watcher's look ends within its wait. */
    private void stopWatching() {
        watching = false;
        Thread w = watcher;
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void tick(Tick tick) {
        if (tick.intervalEndNanos() - lastProgress < PROGRESS_EVERY_NANOS) {
            return;
        }
        if (tick.warmup()) {
            // The server says nothing to a client before it is ready, except that its session was
            // cancelled (ControlServer sends the reason at once): a warm-up is then for nothing, and a
            // long one (60 s for TLS) kept the client from saying so until its end.
            lastProgress = tick.intervalEndNanos();
            if (!noticed && channel.hasUnread()) {
                noticed = true;
                onNotice.run();
            }
            return;
        }
        lastProgress = tick.intervalEndNanos();
        ObjectNode m = ControlChannel.message(ControlProtocol.PROGRESS);
        m.put("completed", tick.completed());
        quietly(m);
    }

    /** This client's part of the session, as written to {@code join.json}. */
    public JoinRecord record() {
        return new JoinRecord(channel.peer(), welcome.label(), welcome.index(), welcome.clients(), clock, startAt, startedAt);
    }

    /**
     * Writes {@code join.json} into the results folder, then sends the folder's results files; returns
     * where the server stored them.
     */
    public String sendResults(Path dir, int exitCode, long completed) throws IOException {
        stopWatching();
        if (broken != null) {
            throw broken;
        }
        AtomicFile.write(dir.resolve(JoinRecord.FILE), JSON.writeValueAsBytes(record().toJson(JSON)), true);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> Files.isRegularFile(p) && ControlServer.acceptable(p.getFileName().toString())).sorted().toList();
        }
        ObjectNode results = ControlChannel.message(ControlProtocol.RESULTS);
        ArrayNode names = results.putArray("files");
        files.forEach(f -> names.add(f.getFileName().toString()));
        results.put("exitCode", exitCode);
        results.put("completed", completed);
        channel.send(results);
        for (Path f : files) {
            channel.sendFile(f.getFileName().toString(), f);
        }
        channel.readTimeout(Duration.ofSeconds(60)); // the server writes each file as it comes: only the reply is left
        return said(channel.expect(ControlProtocol.STORED).path("path").asText());
    }

    @Override
    public void close() {
        watching = false; // closing it ourselves is not a server gone
        channel.close();
    }

    /**
     * Runs {@code r} once, when the control channel breaks mid-run (the server is gone): the session it
     * belonged to is over, and a run that went on would only measure refused connects until its end.
     */
    public void onBroken(Runnable r) {
        onBroken = r;
    }

    /**
     * Runs {@code r} once, on the reporting thread, when the server has said something during the
     * warm-up (looked at once a second): its session was cancelled, and {@code r} ends the warm-up so
     * that the start gate reads why at once.
     */
    public void onNotice(Runnable r) {
        onNotice = r;
    }

    // What was measured stays here, and sendResults says what broke; onBroken ends the run.
    private void quietly(ObjectNode m) {
        if (broken != null) {
            return;
        }
        try {
            channel.send(m);
        } catch (IOException e) {
            broke(e);
        }
    }

    /**
     * What the server said, as this client prints it: anything that answers on the control port may send terminal
     * escapes and lines of its own ({@link Printable}). Long enough for a cancellation naming many clients.
     */
    private static String said(String text) {
        return Printable.clip(text, 2_000);
    }
}
