package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.control.Member;
import dev.churn.bench.control.ServerCost;
import dev.churn.bench.control.SessionReport;
import dev.churn.bench.http.Printable;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;

/**
 * A joined session as a table: one row per client (its rate, counts, connect p99, how late its
 * measured part began after the start instant), then the merge, then what is missing. {@code churn
 * serve} prints it as each session ends and {@code churn lab hosts} after its run.
 */
final class SessionTable {

    private SessionTable() {}

    static String render(SessionReport r) {
        // The columns as wide as their longest entry: a client's default label (blocking-client-c1) is
        // longer than "host", and a fixed width pushed every figure of its row out from under its header.
        int hostWidth = Math.max(14, r.members().stream().mapToInt(m -> m.label().length()).max().orElse(0));
        int addressWidth = Math.max(15, r.members().stream().mapToInt(m -> String.valueOf(m.host()).length()).max().orElse(0));
        String columns = "%-" + hostWidth + "s %-" + addressWidth + "s ";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, columns + "%11s %11s %8s %18s %12s%n", "host", "address", "rate/s", "completed", "failed",
                "connect p99 (µs)", "start (ms)"));
        // In the order they joined (client-1, client-2, ...), not the order their results arrived in.
        for (SessionReport.MemberReport m : r.members().stream()
                .sorted(Comparator.comparingInt(SessionReport.MemberReport::index)).toList()) {
            String late = m.startedLateNanos() == null ? "-" : String.format(Locale.ROOT, "%+.3f", m.startedLateNanos() / 1e6);
            JsonNode s = summary(m.dir());
            if (s == null && m.status() == Member.Status.COMPLETE) {
                // Its results came, without a summary to read: said so, where "lost: null" was (QA, 2026-12-06).
                b.append(String.format(Locale.ROOT, columns + "%11s %,11d %8s %18s %12s   stored, but %s (exit %d; completed: as"
                        + " it said)%n", m.label(), m.host(), "-", m.completed(), "-", "-", late, unreadable(m.dir()),
                        m.exitCode()));
            } else if (s == null) {
                // Its results never came: the count is its last progress report's, up to a second old (the client itself
                // said 58,025 where this row said 43,729; QA, 2026-12-06).
                b.append(String.format(Locale.ROOT, columns + "%11s %,11d %8s %18s %12s   lost: %s (completed: by its"
                        + " last progress report)%n", m.label(), m.host(), "-", m.completed(), "-", "-", late, m.lostReason()));
            } else {
                b.append(row(columns, m.label(), m.host(), s, late));
            }
        }
        if (r.merged() != null) {
            b.append(row(columns, "merged", "", r.merged(), ""));
        }
        r.startSpreadMillis().ifPresent(v -> b.append(String.format(Locale.ROOT,
                "start spread %.3f ms (each client's first measured instant, on the server's clock)%n", v)));
        // The measured parts start together; the load starts when each client's threads start their first cycles.
        r.firstCycleSpreadMillis().ifPresent(v -> b.append(String.format(Locale.ROOT,
                "             first cycles %.3f ms apart (each client's window starts at its first cycle)%n", v)));
        if (r.partial()) {
            b.append(String.format(Locale.ROOT, "partial: %d of %d clients' results arrived; missing: %s%n", r.complete().size(),
                    r.expected(), String.join(", ", r.lost().stream().map(SessionReport.MemberReport::label).toList())));
        }
        if (r.mergeNote() != null) {
            b.append("note: ").append(r.mergeNote()).append('\n');
        }
        ServerCost c = r.server();
        if (c != null) {
            // The server's half of a connection's cost, which no client's cpu line sees.
            b.append(String.format(Locale.ROOT, "server      %.2f s of CPU in the session's %.1f s (%s of a CPU), %s%n",
                    c.cpuMillis() / 1e3, c.seconds(), ServeCpu.share(c.cpuPercent()), c.accepted() > 0
                            ? String.format(Locale.ROOT, "%,.1f µs a connection accepted", c.perConnectionMicros())
                            : "no connection accepted"));
            if (c.notHeld() > 0) {
                // --closer never past the descriptor limit's room: those were closed after the client's FIN, so the
                // clients' CLOSE_WAIT and FIN_WAIT2 counts hold fewer than they made.
                b.append(String.format(Locale.ROOT, "not held    %,d of the session's connections (past what the server's "
                        + "ulimit -n leaves room for): closed after the client's FIN, as --closer client does%n", c.notHeld()));
            }
        }
        if (r.merged() != null) {
            Path m = r.dir().resolve(SessionReport.MERGED);
            b.append("merged: ").append(m).append("   (churn report ").append(m).append(")\n");
        }
        Path file = r.dir().resolve(SessionReport.FILE);
        // Named only when it is there: a server out of descriptors could not write it, and the path was printed all the
        // same (--closer never holding every connection, 2026-12-05); the server's line before says why.
        b.append(Files.isRegularFile(file) ? "session: " + file : "session: " + SessionReport.FILE + " could not be written in "
                + r.dir()).append('\n');
        return b.toString();
    }

    private static String row(String columns, String host, String address, JsonNode s, String late) {
        return String.format(Locale.ROOT, columns + "%,11.1f %,11d %,8d %18.1f %12s%n", host, address,
                s.at("/connections/perSecond").asDouble(), s.at("/connections/completed").asLong(), s.at("/connections/failed").asLong(),
                s.at("/phases/connect/p99").asDouble(), late);
    }

    /** Why the folder's summary cannot be read: SummaryJson's one line, or that there is no folder. */
    private static String unreadable(Path dir) {
        if (dir == null) {
            return "no results folder";
        }
        try {
            SummaryJson.read(dir);
            return "its " + SummaryJson.FILE + " could not be read";
        } catch (IOException | IllegalArgumentException e) {
            return Printable.escape(String.valueOf(e.getMessage()));
        }
    }

    private static JsonNode summary(Path dir) {
        if (dir == null) {
            return null;
        }
        try {
            return SummaryJson.read(dir);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
