package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * results/README.md documents every file format: each field of session.json's {@code server} must be named in its
 * section on joined sessions. {@code notHeld} was written from 2026-12-07 and named only in docs/commands.md (review).
 */
class SessionFieldsDocumentedTest {

    @Test
    void everyFieldOfTheServersCostIsNamedWhereSessionJsonIsDocumented() throws IOException {
        ObjectNode server = new ObjectMapper().createObjectNode();
        new ServerCost(2.0, 200, 3000, 12).write(server);
        String text = Files.readString(repositoryRoot().resolve("results/README.md"));
        int from = text.indexOf("## Joined sessions");
        assertTrue(from >= 0, "no section on joined sessions in results/README.md");
        String section = text.substring(from, text.indexOf("\n## ", from + 1));
        List<String> missing = new ArrayList<>();
        server.fieldNames().forEachRemaining(f -> {
            if (!section.contains("`" + f + "`")) {
                missing.add(f);
            }
        });
        assertEquals(List.of(), missing, "session.json server fields results/README.md does not name");
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("results"))) {
                return d;
            }
        }
        throw new AssertionError("no README.md and results/ above " + Path.of("").toAbsolutePath());
    }
}
