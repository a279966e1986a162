package dev.churn.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What one session of joined clients gave: each client's clock, start and results, and the merge.
 * Written as {@code session.json} ({@value #SCHEMA}) beside the clients' folders and {@code merged/}.
 *
 * @param dir          the session's folder
 * @param startAtNanos the start instant, epoch nanoseconds on the server's clock
 * @param expected     clients the session waited for
 * @param members      every client that joined, in the order of joining
 * @param merged       the merged summary, or null (fewer than two clients complete, or the merge failed)
 * @param mergeNote    why there is no merge, or what it overrode; null when nothing to say
 * @param server       what the session cost the serving process, or null (not read: an older file, no /proc)
 */
public record SessionReport(Path dir, long startAtNanos, int expected, List<MemberReport> members, JsonNode merged,
        String mergeNote, ServerCost server) {

    public static final String SCHEMA = "churn.session/1";
    public static final String FILE = "session.json";
    public static final String MERGED = "merged";

    /**
     * One client's part.
     *
     * @param startedLateNanos how long after the start instant its measured part began (server clock);
     *                         null when it never said
     * @param firstCycleAfterMillis its summary's {@code firstCycleAfterMillis}, read once ({@link #firstCycleAfter});
     *                         null without results
     */
    public record MemberReport(String label, int index, String host, Member.Status status, ClockOffset clock,
            Long startedLateNanos, long completed, int exitCode, Path dir, String lostReason, Double firstCycleAfterMillis) {

        /** The {@code firstCycleAfterMillis} of the run in {@code runDir} (0 where it has none), or null without one. */
        public static Double firstCycleAfter(Path runDir) {
            if (runDir == null) {
                return null;
            }
            try {
                return SummaryJson.read(runDir).path("firstCycleAfterMillis").asDouble(0);
            } catch (IOException | IllegalArgumentException e) {
                return null; // a lost client's folder, or one damaged since: no first cycle to say
            }
        }
    }

    /** Clients whose results arrived. */
    public List<MemberReport> complete() {
        return members.stream().filter(m -> m.status() == Member.Status.COMPLETE).toList();
    }

    /** Clients lost mid-run. */
    public List<MemberReport> lost() {
        return members.stream().filter(m -> m.status() != Member.Status.COMPLETE).toList();
    }

    /** True when some client's results are missing: the merge holds only the others'. */
    public boolean partial() {
        return complete().size() < expected;
    }

    /** Latest minus earliest start of the measured parts, in milliseconds; empty when fewer than two said. */
    public OptionalDouble startSpreadMillis() {
        List<Long> late = members.stream().map(MemberReport::startedLateNanos).filter(l -> l != null).toList();
        if (late.size() < 2) {
            return OptionalDouble.empty();
        }
        long min = late.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = late.stream().mapToLong(Long::longValue).max().orElseThrow();
        return OptionalDouble.of((max - min) / 1e6);
    }

    /**
     * Latest minus earliest first cycle of the clients' measured parts (closed loops: where each one's window starts,
     * its summary's {@code firstCycleAfterMillis} after its measured part began), in milliseconds; empty when fewer
     * than two said. The start instant lines up the measured parts, within a few ms, but a client's threads then take
     * their time to start a cycle: 104-184 ms after the instant on a busy machine, where the start spread said 2.8 ms
     * (QA, 2026-12-06). An open loop's window starts with its measured part.
     */
    public OptionalDouble firstCycleSpreadMillis() {
        List<Double> at = new java.util.ArrayList<>();
        for (MemberReport m : members) {
            if (m.startedLateNanos() != null && m.firstCycleAfterMillis() != null) {
                at.add(m.startedLateNanos() / 1e6 + m.firstCycleAfterMillis());
            }
        }
        if (at.size() < 2) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(at.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - at.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
    }

    /**
     * Reads a session's folder back ({@code session.json}, and {@code merged/summary.json} when there
     * is one): what {@code churn lab hosts} shows of the session its server ran.
     */
    public static SessionReport read(Path dir, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(dir.resolve(FILE).toFile());
        if (!SCHEMA.equals(root.path("schema").asText())) {
            throw new IOException(dir.resolve(FILE) + " is not a " + SCHEMA + " file");
        }
        long startAt = EpochClock.nanos(java.time.Instant.parse(root.path("startAt").asText()));
        List<MemberReport> ms = new java.util.ArrayList<>();
        for (JsonNode m : root.path("members")) {
            ClockOffset clock = m.has("clockOffsetNanos")
                    ? new ClockOffset(m.path("clockOffsetNanos").asLong(), m.path("roundTripNanos").asLong(), 0) : null;
            Path runDir = m.has("dir") ? dir.resolve(m.path("dir").asText()) : null;
            ms.add(new MemberReport(m.path("label").asText(), m.path("index").asInt(), m.path("host").asText(),
                    Member.Status.valueOf(m.path("status").asText().toUpperCase(java.util.Locale.ROOT)), clock,
                    m.has("startedLateNanos") ? m.path("startedLateNanos").asLong() : null, m.path("completed").asLong(),
                    m.path("exitCode").asInt(-1), runDir, m.has("lost") ? m.path("lost").asText() : null,
                    // Written since 2026-12-06; an older session.json's clients have it in their summaries.
                    m.has("firstCycleAfterMillis") ? Double.valueOf(m.path("firstCycleAfterMillis").asDouble())
                            : MemberReport.firstCycleAfter(runDir)));
        }
        JsonNode merged = root.path("merged").isTextual() ? SummaryJson.read(dir.resolve(root.path("merged").asText())) : null;
        return new SessionReport(dir, startAt, root.path("clients").asInt(), List.copyOf(ms), merged,
                root.has("mergeNote") ? root.path("mergeNote").asText() : null, ServerCost.read(root.path("server")));
    }

    /** session.json's content. */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("startAt", EpochClock.instant(startAtNanos).toString());
        root.put("clients", expected);
        root.put("complete", complete().size());
        root.put("partial", partial());
        startSpreadMillis().ifPresentOrElse(s -> root.put("startSpreadMillis", s), () -> root.putNull("startSpreadMillis"));
        firstCycleSpreadMillis().ifPresentOrElse(s -> root.put("firstCycleSpreadMillis", Math.round(s * 1000) / 1000.0),
                () -> root.putNull("firstCycleSpreadMillis"));
        ArrayNode ms = root.putArray("members");
        for (MemberReport m : members) {
            ObjectNode o = ms.addObject();
            o.put("label", m.label());
            o.put("index", m.index());
            o.put("host", m.host());
            o.put("status", m.status().label());
            if (m.clock() != null) {
                o.put("clockOffsetNanos", m.clock().offsetNanos());
                o.put("roundTripNanos", m.clock().rttNanos());
            }
            if (m.startedLateNanos() != null) {
                o.put("startedLateNanos", m.startedLateNanos());
            }
            if (m.firstCycleAfterMillis() != null) {
                o.put("firstCycleAfterMillis", m.firstCycleAfterMillis());
            }
            o.put("completed", m.completed());
            if (m.exitCode() >= 0) {
                o.put("exitCode", m.exitCode());
            }
            if (m.dir() != null) {
                o.put("dir", dir.relativize(m.dir()).toString());
            }
            if (m.lostReason() != null) {
                o.put("lost", m.lostReason());
            }
        }
        ArrayNode missing = root.putArray("missing");
        lost().forEach(m -> missing.add(m.label()));
        if (merged != null) {
            root.put("merged", MERGED);
        } else {
            root.putNull("merged");
        }
        if (mergeNote != null) {
            root.put("mergeNote", mergeNote);
        }
        if (server != null) {
            server.write(root.putObject("server"));
        } else {
            root.putNull("server");
        }
        return root;
    }
}
