package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process names itself: --by process --format csv printed an ESC sequence in a name raw to the terminal it was
 * printed to, where the table and JSON escaped it (QA, 2026-12-06). Control characters are \xNN in the CSV too, so a
 * row stays one line; quotes are doubled.
 */
class SocketGroupCsvTest {

    @Test
    void controlCharactersInAProcessNameAreEscapedAndTheRowStaysOneLine() throws IOException {
        String comm = "\u001b]0;PWN\u0007\u001b[2Jx\n\"q\"";
        StateCounts est = new StateCounts.Builder().add(TcpState.ESTABLISHED, 1).build();
        SocketGroup g = new SocketGroup("44 " + comm, 44L, comm, null, null, null, null, est, null);
        StringWriter out = new StringWriter();
        SocketGroupFormat.writeCsvRows(new Sample(0, 5_000_000, est, Sockstat.UNKNOWN, 10, Sample.NO_INTERVAL), List.of(g), out);
        String row = out.toString();
        assertEquals(1, row.lines().count(), row);
        assertEquals(-1, row.indexOf('\u001b'), row);
        assertTrue(row.startsWith("5,\"44 \\x1b]0;PWN\\x07\\x1b[2Jx\\x0a\"\"q\"\"\",44,\"\\x1b]0;PWN\\x07\\x1b[2Jx\\x0a\"\"q\"\"\","),
                row);
    }
}
