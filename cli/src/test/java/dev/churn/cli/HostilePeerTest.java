package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.result.SummaryJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's bytes reach the run's table quoted in a failure message; a hostile or broken server must
 * not be able to clear the user's screen or retitle the terminal through them.
 */
class HostilePeerTest {

    @TempDir
    Path tmp;

    @Test
    void escapeSequencesInAStatusLineArePrintedEscaped() throws Exception {
        String hostile = "HTTP\u001b[2J\u001b]0;pwned\u0007 200 OK\r\n\r\n";
        try (ScriptedPeer peer = ScriptedPeer.answering(hostile, false)) {
            Path dir = tmp.resolve("run");
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            int code = c.run("run", "--target", peer.target(), "--http", "/", "--connections", "3",
                    "--no-progress", "--out", dir.toString());

            String out = c.out.toString() + c.err;
            assertEquals(1, code, out); // nothing completed
            assertFalse(out.chars().anyMatch(ch -> ch == 0x1b || ch == 0x07), "raw ESC or BEL printed:\n" + out);
            assertTrue(out.contains("HTTP\\x1b[2J\\x1b]0;pwned\\x07 200"), out);
            String first = SummaryJson.read(dir).path("failures").properties().stream()
                    .map(e -> e.getValue().path("firstMessage").asText()).filter(m -> m.contains("pwned")).findFirst().orElse("");
            assertTrue(first.contains("\\x1b") && first.indexOf(0x1b) < 0, "summary.json's message: " + first);
        }
    }
}
