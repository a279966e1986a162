package dev.churn.cli;

import dev.churn.bench.control.EpochClock;
import dev.churn.bench.control.Member;
import dev.churn.bench.control.SessionListener;
import dev.churn.bench.control.SessionReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code churn serve}'s account of its joined sessions, a line per event and the session's table at
 * its end; calls {@code enough} once the sessions asked for with --sessions have ended.
 */
final class SessionPrinter implements SessionListener {

    private final PrintWriter out;
    private final Integer sessions;
    private final Runnable enough;
    private int ended;

    SessionPrinter(PrintWriter out, Integer sessions, Runnable enough) {
        this.out = out;
        this.sessions = sessions;
        this.enough = enough;
    }

    @Override
    public void refused(String peer, String reason) {
        say("control: refused " + peer + ": " + reason);
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
    public void stored(Member m) {
        say(String.format(Locale.ROOT, "session: %s's results stored (%,d completed, exit %d%s)", m.label(), m.completed(),
                m.exitCode(), m.exitCode() == ExitCodes.INTERRUPTED ? ": stopped early by a signal" : ""));
    }

    @Override
    public void ended(SessionReport report) {
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
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
