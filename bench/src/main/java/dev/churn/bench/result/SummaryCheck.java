package dev.churn.bench.result;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The types a reader of {@code summary.json} relies on, checked once when a saved run is read, so
 * a hand-edited or damaged file is refused with one line naming the file and the field instead of
 * turning into zeros and negative counts downstream (Jackson's {@code asLong} reads "x" as 0).
 * Unknown fields are ignored and optional ones may be absent: later versions only add fields.
 */
final class SummaryCheck {

    private static final List<String> COUNTS = List.of("attempted", "completed", "failed");
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p999", "max");

    private SummaryCheck() {}

    /** Throws IllegalArgumentException ("FILE: field F is V, want W") at the first field of the wrong type. */
    static void check(Path file, JsonNode n) {
        new Checker(file).run(n);
    }

    private record Checker(Path file) {

        void run(JsonNode n) {
            text(n, "label");
            instant(n, "startedAt");
            instant(n, "measuredFrom");
            object(n, "scenario", true);
            object(n.path("scenario"), "load", false, "scenario.");
            // Since 2026-12-06 (absent in older summaries): the command line, the sampler's settings, a lost log.
            if (n.has("command") && (!n.get("command").isArray() || !allText(n.get("command")))) {
                fail("command", n.get("command"), "an array of strings");
            }
            if (n.path("scenario").has("intervalMicros")) {
                number(n.path("scenario"), "intervalMicros", "scenario.");
            }
            if (n.path("scenario").has("source")) {
                text(n.path("scenario"), "source", "scenario.");
            }
            if (n.has("latencyLog")) {
                object(n, "latencyLog", true);
                text(n.get("latencyLog"), "lost", "latencyLog.");
            }
            object(n, "connections", true);
            for (String k : COUNTS) {
                count(n.path("connections"), k, "connections.", true);
            }
            number(n.path("connections"), "perSecond", "connections.");
            number(n, "durationSeconds", "");
            if (n.has("firstCycleAfterMillis")) {
                number(n, "firstCycleAfterMillis", ""); // since 2026-12-05: older summaries have none
            }
            text(n, "endReason");
            if (n.has("endedInWarmup") && !n.get("endedInWarmup").isBoolean()) {
                fail("endedInWarmup", n.get("endedInWarmup"), "true or false");
            }
            object(n, "phases", true);
            for (Map.Entry<String, JsonNode> e : n.path("phases").properties()) {
                String where = "phases." + e.getKey() + ".";
                if (!e.getValue().isObject()) {
                    fail("phases." + e.getKey(), e.getValue(), "an object");
                }
                count(e.getValue(), "count", where, true);
                for (String p : PERCENTILES) {
                    number(e.getValue(), p, where);
                }
            }
            // Since 2026-12-06 (absent in older summaries): counts by phase, which the table and merge add up.
            object(n, "overCeiling", false);
            for (Map.Entry<String, JsonNode> e : n.path("overCeiling").properties()) {
                count(n.get("overCeiling"), e.getKey(), "overCeiling.", true);
            }
            object(n, "failures", false);
            for (Map.Entry<String, JsonNode> e : n.path("failures").properties()) {
                if (!e.getValue().isObject()) {
                    fail("failures." + e.getKey(), e.getValue(), "an object");
                }
                count(e.getValue(), "count", "failures." + e.getKey() + ".", true);
            }
            if (n.has("states") && !n.get("states").isNull()) {
                object(n, "states", true);
                for (String part : List.of("peak", "final")) {
                    object(n.get("states"), part, false, "states.");
                    for (Map.Entry<String, JsonNode> e : n.get("states").path(part).properties()) {
                        count(n.get("states").get(part), e.getKey(), "states." + part + ".", true);
                    }
                }
                // The rows states.csv must hold (StatesCsv): absent in older summaries, but never of another type.
                count(n.get("states"), "samples", "states.", false);
            }
            object(n, "kernel", false);
            for (Map.Entry<String, JsonNode> e : n.path("kernel").properties()) {
                // Deltas may be negative (a counter reset by the kernel); gauges such as MaxConn are -1.
                if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
                    fail("kernel." + e.getKey(), e.getValue(), "a whole number");
                }
            }
            object(n, "environment", false);
            if (n.has("hosts") && !n.get("hosts").isArray()) {
                fail("hosts", n.get("hosts"), "an array");
            }
        }

        private void text(JsonNode n, String field) {
            text(n, field, "");
        }

        private void text(JsonNode n, String field, String prefix) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual()) {
                fail(prefix + field, v, "a string");
            }
        }

        private static boolean allText(JsonNode array) {
            for (JsonNode a : array) {
                if (!a.isTextual()) {
                    return false;
                }
            }
            return true;
        }

        private void instant(JsonNode n, String field) {
            text(n, field);
            try {
                Instant.parse(n.get(field).asText());
            } catch (DateTimeParseException e) {
                fail(field, n.get(field), "an ISO-8601 instant such as 2026-11-21T17:33:59.123Z");
            }
        }

        private void object(JsonNode n, String field, boolean required) {
            object(n, field, required, "");
        }

        private void object(JsonNode n, String field, boolean required, String prefix) {
            JsonNode v = n.get(field);
            if ((v == null && required) || (v != null && !v.isObject())) {
                fail(prefix + field, v, "an object");
            }
        }

        private void count(JsonNode n, String field, String prefix, boolean required) {
            JsonNode v = n.get(field);
            if (v == null && !required) {
                return;
            }
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                fail(prefix + field, v, "a whole number >= 0");
            }
        }

        private void number(JsonNode n, String field, String prefix) {
            JsonNode v = n.get(field);
            if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
                fail(prefix + field, v, "a number >= 0");
            }
        }

        private void fail(String field, JsonNode value, String want) {
            String got = value == null || value.isMissingNode() ? "missing" : "is " + abbreviate(value.toString());
            throw new IllegalArgumentException(file + ": field " + field + " " + got + ", want " + want);
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 37) + "...";
        }
    }
}
