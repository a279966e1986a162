package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.bench.control.Member;
import dev.churn.bench.control.ServerCost;
import dev.churn.bench.control.SessionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session table keeps every figure under its header, whatever the clients are called. */
class SessionTableTest {

    @Test
    void aLongClientLabelWidensItsColumnInsteadOfPushingTheRowOut() {
        // blocking-client-c1, the default label, is 18 characters: it used to shift its row 4 columns right.
        String table = SessionTable.render(new SessionReport(Path.of("s"), 0, 2, List.of(
                lost("blocking-client-c1", "127.0.0.1"), lost("c2", "127.0.0.2")), null, null, null));
        List<String> lines = table.lines().toList();
        int completed = lines.get(0).indexOf("completed") + "completed".length();
        for (String row : lines.subList(1, 3)) {
            assertEquals(' ', row.charAt(completed), "a column ends under the header's: " + table);
            assertTrue(Character.isDigit(row.charAt(completed - 1)), "the count ends where its header ends: " + table);
        }
        assertTrue(lines.get(1).startsWith("blocking-client-c1 127.0.0.1"), table);
    }

    /** The session.json line names the file only where it is: a server that could not write it printed its path. */
    @Test
    void theSessionFileIsNamedOnlyWhenItWasWritten(@TempDir Path tmp) throws Exception {
        SessionReport report = new SessionReport(tmp, 0, 1, List.of(lost("c1", "127.0.0.1")), null, null, null);
        assertTrue(SessionTable.render(report).contains("session: session.json could not be written in " + tmp + "\n"),
                SessionTable.render(report));
        Files.writeString(tmp.resolve(SessionReport.FILE), "{}");
        assertTrue(SessionTable.render(report).contains("session: " + tmp.resolve(SessionReport.FILE) + "\n"),
                SessionTable.render(report));
    }

    @Test
    void theServersCostFollowsTheClientsWhenItWasRead() {
        SessionReport read = new SessionReport(Path.of("s"), 0, 1, List.of(lost("c1", "127.0.0.1")), null, null,
                new ServerCost(12.5, 2_450, 88_802, 0));
        assertTrue(SessionTable.render(read).contains("server      2.45 s of CPU in the session's 12.5 s (20% of a CPU), "
                + "27.6 µs a connection accepted\n"), SessionTable.render(read));
        SessionReport idle = new SessionReport(Path.of("s"), 0, 1, List.of(lost("c1", "127.0.0.1")), null, null,
                new ServerCost(3.0, 40, 0, 0));
        assertTrue(SessionTable.render(idle).contains("server      0.04 s of CPU in the session's 3.0 s (1.3% of a CPU), "
                + "no connection accepted\n"), SessionTable.render(idle));
        assertFalse(SessionTable.render(read).contains("not held"), SessionTable.render(read));
        SessionReport bounded = new SessionReport(Path.of("s"), 0, 1, List.of(lost("c1", "127.0.0.1")), null, null,
                new ServerCost(12.5, 2_450, 88_802, 1_234));
        assertTrue(SessionTable.render(bounded).contains("not held    1,234 of the session's connections"), SessionTable.render(bounded));
        SessionReport unread = new SessionReport(Path.of("s"), 0, 1, List.of(lost("c1", "127.0.0.1")), null, null, null);
        assertFalse(SessionTable.render(unread).contains("server "), SessionTable.render(unread));
    }

    @Test
    void clientsAreListedInTheOrderTheyJoinedNotTheOrderTheirResultsCame() {
        // The session's list is in arrival order: client-3's results came first.
        String table = SessionTable.render(new SessionReport(Path.of("s"), 0, 3, List.of(lost("client-3", "127.0.0.13", 3),
                lost("client-1", "127.0.0.11", 1), lost("client-2", "127.0.0.12", 2)), null, null, null));
        List<String> rows = table.lines().skip(1).limit(3).map(l -> l.substring(0, 8)).toList();
        assertEquals(List.of("client-1", "client-2", "client-3"), rows, table);
    }

    /**
     * The measured parts began 2 ms apart, but the clients' first cycles 82 ms apart: the table and session.json say
     * both, since the windows (and the load) start at the first cycles (QA, 2026-12-06).
     */
    @Test
    void theFirstCyclesSpreadIsShownBesideTheStartSpread(@TempDir Path tmp) throws Exception {
        Path a = RunFixture.at(tmp.resolve("a"), "a", 0).firstCycleAt(0.1).interval(0, 1, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", 0).firstCycleAt(0.18).interval(0, 1, 100).write();
        SessionReport r = new SessionReport(tmp, 0, 2, List.of(complete("a", 1, 1_000_000L, a), complete("b", 2, 3_000_000L, b)),
                null, null, null);
        String table = SessionTable.render(r);
        assertTrue(table.contains("start spread 2.000 ms"), table);
        assertTrue(table.contains("first cycles 82.000 ms apart"), table);
        assertEquals(82.0, r.toJson(new ObjectMapper()).path("firstCycleSpreadMillis").asDouble(), 1e-9);
        SessionReport one = new SessionReport(tmp, 0, 2, List.of(complete("a", 1, 1_000_000L, a), lost("b", "127.0.0.2", 2)),
                null, null, null);
        assertFalse(SessionTable.render(one).contains("first cycles"), "one client's first cycle has no spread");
        // A lost client's count is its last progress report's, behind what it made: the row says so.
        assertTrue(SessionTable.render(one).contains("lost: gone (completed: by its last progress report)"),
                SessionTable.render(one));
    }

    private static SessionReport.MemberReport complete(String label, int index, long startedLateNanos, Path dir) {
        return new SessionReport.MemberReport(label, index, "127.0.0." + index, Member.Status.COMPLETE, null, startedLateNanos,
                100, 0, dir, null, SessionReport.MemberReport.firstCycleAfter(dir));
    }

    private static SessionReport.MemberReport lost(String label, String host) {
        return lost(label, host, 0);
    }

    private static SessionReport.MemberReport lost(String label, String host, int index) {
        return new SessionReport.MemberReport(label, index, host, Member.Status.LOST, null, null, 1234, 1, null, "gone", null);
    }
}
