package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A summary.json is anyone's file: the views that print one (report --table, compare --runs, merge) must not pass its
 * escape sequences to the terminal, whichever field holds them. A real run, its copy forged.
 */
class ForgedSummaryTest {

    private static final String EVIL = "\u001b[2J\u001b]0;PWNED\u0007";

    @TempDir
    Path tmp;

    @Test
    void noViewPrintsAForgedSummarysEscapeSequences() throws Exception {
        Path real = tmp.resolve("real");
        RunCommandTest.Cli made = new RunCommandTest.Cli();
        assertEquals(0, made.run("run", "--connections", "200", "--warmup", "0s", "--no-progress", "--out", real.toString()),
                made.err::toString);
        Path forged = tmp.resolve("forged");
        Files.createDirectories(forged);
        try (Stream<Path> files = Files.list(real)) {
            for (Path f : files.toList()) {
                Files.copy(f, forged.resolve(f.getFileName()));
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode s = (ObjectNode) json.readTree(forged.resolve("summary.json").toFile());
        ObjectNode sc = (ObjectNode) s.get("scenario");
        // The fields no view had escaped one by one before (QA, 2026-12-06), and the target that merge quotes
        for (String field : new String[] {"transport", "warmup", "target", "closer"}) {
            sc.put(field, EVIL + sc.path(field).asText());
        }
        ((ObjectNode) s.get("environment")).put("kernel", EVIL + "6.1");
        s.put("label", "forged"); // else merge refuses the copy as the same run, before it reads the target
        json.writeValue(forged.resolve("summary.json").toFile(), s);

        String[][] views = {
            {"report", "--table", forged.toString()},
            {"compare", "--runs", real + "," + forged, "--out", tmp.resolve("cmp").toString()},
            {"merge", real.toString(), forged.toString(), "--out", tmp.resolve("merged").toString()},
        };
        for (String[] view : views) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            int code = c.run(view);
            String all = c.out + "\n" + c.err;
            assertTrue(all.chars().noneMatch(ch -> ch == 0x1b || ch == 0x07), view[0] + " printed raw escapes:\n" + all);
            // Shown escaped, not dropped: what the file holds stays visible
            assertTrue(all.contains("\\x1b[2J\\x1b]0;PWNED\\x07"), view[0] + " (exit " + code + "):\n" + all);
        }
    }
}
