package dev.churn.cli;

import dev.churn.bench.control.EpochClock;
import dev.churn.bench.control.Member;
import dev.churn.bench.control.SessionListener;
import dev.churn.bench.control.SessionReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code churn serve}'s account of its joined sessions, a line per event and the session's table at
 * its end; calls {@code enough} once the sessions asked for with --sessions have ended.
 */
final class SessionPrinter implements SessionListener {

    /**
     * Refusal lines shown in a {@link #REFUSAL_WINDOW_NANOS}; the others are counted and their number said. A port
     * scan of the control port printed a line per connection, 1,000 lines that buried the sessions' own (QA, 2026-12-06).
     */
    static final int REFUSALS_SHOWN = 10;
    static final long REFUSAL_WINDOW_NANOS = 60_000_000_000L;

    private final PrintWriter out;
    private final Integer sessions;
    private final Runnable enough;
    private final LongSupplier nanoTime;
    private int ended;
    private long windowStart;
    private int refusalsInWindow;
    private long refusalsHeldBack;

    SessionPrinter(PrintWriter out, Integer sessions, Runnable enough) {
        this(out, sessions, enough, System::nanoTime);
    }

    SessionPrinter(PrintWriter out, Integer sessions, Runnable enough, LongSupplier nanoTime) {
        this.out = out;
        this.sessions = sessions;
        this.enough = enough;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    @Override
    public void refused(String peer, String reason) {
        String line = "control: refused " + peer + ": " + reason;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (now - windowStart >= REFUSAL_WINDOW_NANOS) {
                sayHeldBack();
                windowStart = now;
                refusalsInWindow = 0;
            }
            if (++refusalsInWindow > REFUSALS_SHOWN) {
                if (refusalsHeldBack++ == 0) {
                    say(String.format(Locale.ROOT, "control: more than %d refusals within a minute: the others are "
                            + "counted, their number shown with the next line", REFUSALS_SHOWN));
                }
                return;
            }
        }
        say(line);
    }

    /** The refusals not shown, counted: said before any other line, so none is lost and the order stays true. */
    synchronized void sayHeldBack() {
        if (refusalsHeldBack > 0) {
            say(String.format(Locale.ROOT, "control: refused %,d more %s (not shown one by one)", refusalsHeldBack,
                    refusalsHeldBack == 1 ? "connection" : "connections"));
            refusalsHeldBack = 0;
        }
    }

    /** A session's own failure: always said, never counted with the refused connections. */
    @Override
    public void failed(String where, String reason) {
        say("session: " + where + ": " + reason);
    }

    @Override
    public void joined(Member m, int joined, int expected) {
        say(String.format(Locale.ROOT, "session: %s joined from %s (%d of %d)", m.label(), m.host(), joined, expected));
    }

    @Override
    public void ready(Member m) {
        say(String.format(Locale.ROOT, "session: %s ready, clock offset %+.3f ms, round trip %.3f ms", m.label(),
                m.clock().offsetNanos() / 1e6, m.clock().rttNanos() / 1e6));
    }

    @Override
    public void starting(long startAtEpochNanos, List<Member> members, Path dir) {
        say(String.format(Locale.ROOT, "session: %d %s at %s; results go to %s", members.size(),
                members.size() == 1 ? "client starts" : "clients start", EpochClock.instant(startAtEpochNanos), dir));
    }

    @Override
    public void cancelled(String reason) {
        say("session cancelled: " + reason);
        end();
    }

    @Override
    public void lost(Member m) {
        say("session: " + m.label() + " lost: " + m.lostReason());
    }

    @Override
    public void left(Member m) {
        // Not "lost": the session goes on without it, and session.json never names it (review, 2026-12-07)
        // The reason is the one a client lost later gives ("... before its results arrived"): before the start, the
        // results were not due.
        say("session: " + m.label() + " left before the start (" + m.lostReason().replace(" before its results arrived", "")
                + "); its place is free");
    }

    @Override
    public void stored(Member m) {
        say(String.format(Locale.ROOT, "session: %s's results stored (%,d completed, exit %d%s)", m.label(), m.completed(),
                m.exitCode(), m.exitCode() == ExitCodes.INTERRUPTED ? ": stopped early by a signal" : ""));
    }

    @Override
    public void ended(SessionReport report) {
        sayHeldBack();
        synchronized (out) {
            out.print(SessionTable.render(report));
            out.flush();
        }
        end();
    }

    private void end() {
        boolean stop;
        synchronized (this) {
            ended++;
            stop = sessions != null && ended >= sessions;
        }
        if (stop) {
            enough.run();
        }
    }

    private void say(String line) {
        if (!line.startsWith("control: ")) {
            sayHeldBack();
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
