package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code churn serve}'s event lines: a flood of refused connections is counted, not printed line by line. */
class SessionPrinterTest {

    @Test
    void refusalsBeyondTenAMinuteAreCountedAndTheirNumberSaidBeforeTheNextLine() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong(5_000_000_000L);
        SessionPrinter p = new SessionPrinter(new PrintWriter(text), null, () -> {}, now::get);
        for (int i = 0; i < 1_000; i++) {
            p.refused("127.0.0.1:" + (40_000 + i), "no hello within 10 s");
            now.addAndGet(10_000_000L); // 1,000 in 10 s: a scan
        }
        p.cancelled("the clients did not come");
        List<String> lines = text.toString().lines().toList();
        assertEquals(SessionPrinter.REFUSALS_SHOWN + 3, lines.size(), text::toString);
        assertEquals("control: refused 127.0.0.1:40000: no hello within 10 s", lines.getFirst());
        assertEquals("control: more than 10 refusals within a minute: the others are counted, their number shown with the "
                + "next line", lines.get(SessionPrinter.REFUSALS_SHOWN));
        assertEquals("control: refused 990 more connections (not shown one by one)", lines.get(lines.size() - 2));
        assertEquals("session cancelled: the clients did not come", lines.getLast());

        // Counted ones are said before any line of serve's own too (its heartbeat, its last line), and a session's own
        // failure is never counted among them
        for (int i = 0; i < 11; i++) {
            p.refused("127.0.0.1:" + (41_000 + i), "not a churn client");
        }
        p.failed("/r/session-1", "cannot write session.json: No space left on device");
        List<String> after = text.toString().lines().toList();
        assertEquals("control: refused 11 more connections (not shown one by one)", after.get(after.size() - 2));
        assertEquals("session: /r/session-1: cannot write session.json: No space left on device", after.getLast());
        p.sayHeldBack();
        assertEquals(after.size(), text.toString().lines().count(), "nothing more held back");
        p.refused("127.0.0.1:42000", "not a churn client");
        p.sayHeldBack(); // as serve does before its heartbeat and its last line
        assertEquals("control: refused 1 more connection (not shown one by one)", text.toString().lines().toList().getLast());

        // A minute on, refusals are shown again
        now.addAndGet(SessionPrinter.REFUSAL_WINDOW_NANOS);
        p.refused("127.0.0.1:50000", "not a churn client");
        assertEquals("control: refused 127.0.0.1:50000: not a churn client", text.toString().lines().toList().getLast());
    }
}
