package dev.churn.bench.result;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes runs mergeable, so a merge never adds the rates of runs that did not load one server
 * together: each run given once (by folder and by identity), the same scenario shape, and measured
 * windows that overlap. {@link #duplicates} is always enforced; {@link #mismatches} may be
 * overridden ({@code merge --force}), and the merged summary then lists them.
 */
final class MergeCheck {

    /**
     * The scenario fields (JSON pointers into {@code scenario}) that must be equal: the server
     * ({@code target}), the shape of each connection (transport, closer, linger, request and
     * response bytes, TLS version and resumption, HTTP path) and the kind of load (open or closed loop, whose rates mean different
     * things). Rate, concurrency, counts, durations, warm-up and buffer sizes may differ: clients
     * of different sizes loading one server is what a merge is for.
     */
    static final List<String> SCENARIO_FIELDS = List.of("/target", "/transport", "/closer", "/linger", "/load/type",
            "/requestBytes", "/responseBytes", "/tls/version", "/tls/resume", "/http");

    private MergeCheck() {}

    /** One input run: its name in the merge, folder, summary, and measured window from its log. */
    record Input(String name, Path dir, JsonNode summary, Window window) {}

    /** A span of wall-clock time, epoch milliseconds, {@code from < to} unless empty. */
    record Window(long from, long to) {

        double seconds() {
            return Math.max(0, to - from) / 1000.0;
        }

        boolean isEmpty() {
            return to <= from;
        }

        @Override
        public String toString() {
            return Instant.ofEpochMilli(from) + " to " + Instant.ofEpochMilli(to);
        }
    }

    /**
     * Refuses a run given twice: the same folder (after resolving links), or a copy of one (the
     * same hostname, label and start instant: two runs cannot share all three). IllegalArgumentException.
     */
    static void duplicates(List<Path> dirs, List<JsonNode> summaries) throws IOException {
        Map<Path, Path> byPath = new HashMap<>();
        Map<String, Path> byIdentity = new HashMap<>();
        for (int i = 0; i < dirs.size(); i++) {
            Path d = dirs.get(i);
            Path earlier = byPath.putIfAbsent(d.toRealPath(), d);
            if (earlier != null) {
                throw new IllegalArgumentException(d + " is given twice (also as " + earlier + "): give each run once");
            }
            JsonNode s = summaries.get(i);
            String id = s.at("/environment/hostname").asText() + "|" + s.path("label").asText() + "|"
                    + s.path("startedAt").asText();
            earlier = byIdentity.putIfAbsent(id, d);
            if (earlier != null) {
                throw new IllegalArgumentException(d + " is the same run as " + earlier + " (host "
                        + s.at("/environment/hostname").asText() + ", label " + s.path("label").asText() + ", started "
                        + s.path("startedAt").asText() + "): give each run once");
            }
        }
    }

    /** The reasons these runs should not be merged, each one line; empty when they fit together. */
    static List<String> mismatches(List<Input> inputs) {
        List<String> out = new ArrayList<>();
        Input first = inputs.getFirst();
        for (String field : SCENARIO_FIELDS) {
            JsonNode want = first.summary().path("scenario").at(field);
            for (Input in : inputs.subList(1, inputs.size())) {
                JsonNode got = in.summary().path("scenario").at(field);
                if (!want.equals(got)) {
                    out.add("scenario" + field.replace('/', '.') + " differs: " + first.dir() + " has " + show(want)
                            + ", " + in.dir() + " has " + show(got));
                }
            }
        }
        if (common(inputs).isEmpty()) {
            StringBuilder b = new StringBuilder("the runs' measured windows do not overlap (");
            for (Input in : inputs) {
                b.append(in == first ? "" : "; ").append(in.dir()).append(": ").append(in.window());
            }
            out.add(b.append(')').toString());
        }
        return out;
    }

    /** Where every run was measuring: from the latest start to the earliest end (empty if none). */
    static Window common(List<Input> inputs) {
        long from = inputs.stream().mapToLong(i -> i.window().from()).max().orElseThrow();
        long to = inputs.stream().mapToLong(i -> i.window().to()).min().orElseThrow();
        return new Window(from, to);
    }

    /** From the earliest start to the latest end. */
    static Window union(List<Input> inputs) {
        long from = inputs.stream().mapToLong(i -> i.window().from()).min().orElseThrow();
        long to = inputs.stream().mapToLong(i -> i.window().to()).max().orElseThrow();
        return new Window(from, to);
    }

    private static String show(JsonNode n) {
        return n.isMissingNode() ? "nothing" : n.isTextual() ? n.asText() : n.toString();
    }
}
