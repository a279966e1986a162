package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * results/README.md says it documents every field of {@code churn.run/1}: its annotated example must name every field
 * a real run writes. Three had been added without a word there (scenario.listenersGiven, overCeiling, stall; QA,
 * 2026-12-06). Checked four levels deep, in the objects a closed loop, an HTTPS run and an open loop write: at two
 * levels and without an open loop, the open loop's {@code scenario.load.rate} and {@code maxInFlight} were found in a
 * comment only, "// or {...}", which a reader of the example's fields does not see as fields.
 */
class SummaryFieldsDocumentedTest {

    private static final JsonMapper COMMENTED = JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

    @TempDir
    Path tmp;

    @Test
    void everyFieldOfARealRunsSummaryIsInTheDocumentedExample() throws IOException {
        JsonNode documented = documentedExample();
        List<String> missing = new ArrayList<>();
        List<List<String>> runs = List.of(
                List.of("run", "--connections", "300", "--warmup", "0s"),
                List.of("run", "--tls", "1.3", "--http", "/", "--connections", "50", "--warmup", "0s"),
                List.of("run", "--rate", "2000", "--duration", "1s", "--warmup", "200ms", "--closer", "server"));
        for (int i = 0; i < runs.size(); i++) {
            List<String> args = runs.get(i);
            Path dir = tmp.resolve("run" + i);
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--out", dir.toString(), "--no-progress"));
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(ExitCodes.OK, c.run(all.toArray(String[]::new)), c.err::toString);
            JsonNode real = SummaryJson.read(dir);
            missing.addAll(notIn(real, documented, "", 4).stream().filter(m -> !inAlternative(m)).toList());
        }
        assertEquals(Set.of(), new TreeSet<>(missing), "fields a run writes that results/README.md's example leaves out");
    }

    /** The paths under {@code real}, to {@code depth} levels, that {@code documented} does not have. */
    private static List<String> notIn(JsonNode real, JsonNode documented, String at, int depth) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : real.properties()) {
            String path = at + "/" + e.getKey();
            JsonNode doc = documented.path(e.getKey());
            if (doc.isMissingNode()) {
                out.add(path);
            } else if (depth > 1 && e.getValue().isObject() && doc.isObject() && !isPerName(e.getKey(), path)) {
                out.addAll(notIn(e.getValue(), doc, path, depth - 1));
            }
        }
        return out;
    }

    // Objects keyed by a name rather than a field: the example shows some and "..." for the rest (the states' counts
    // by state name, "...all eleven...").
    private static boolean isPerName(String key, String path) {
        return Set.of("phases", "failures", "kernel", "overCeiling", "sysctls").contains(key)
                || Set.of("/states/before", "/states/final", "/states/peak").contains(path);
    }

    /** The README's annotated example of a run's summary.json, its comments dropped. */
    private static JsonNode documentedExample() throws IOException {
        return COMMENTED.readTree(exampleText());
    }

    private static String exampleText() throws IOException {
        Path readme = repositoryRoot().resolve("results/README.md");
        String text = Files.readString(readme);
        int start = text.indexOf("```json\n{\n  \"schema\": \"churn.run/1\"");
        assertTrue(start >= 0, "no churn.run/1 example in " + readme);
        int from = text.indexOf('\n', start) + 1;
        return text.substring(from, text.indexOf("\n```", from));
    }

    /**
     * Whether a field the example's JSON leaves out is in the other shape its parent's line gives in a comment, as
     * {@code "load": {"type": "closed", ...}, // or {"type": "open", "rate": ..., "maxInFlight": ...}}: the path's
     * last field, quoted, after "// or {" on a line that opens its parent.
     */
    private static boolean inAlternative(String path) {
        String[] parts = path.split("/");
        if (parts.length < 3) {
            return false;
        }
        String parent = "\"" + parts[parts.length - 2] + "\": {";
        String field = "\"" + parts[parts.length - 1] + "\":";
        try {
            return exampleText().lines().anyMatch(l -> l.contains(parent) && l.indexOf("// or {") > l.indexOf(parent)
                    && l.substring(l.indexOf("// or {")).contains(field));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
