package dev.churn.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a session cost the serving process: its CPU time (user + system of every thread) and the
 * connections its sink accepted, from the session's start to its end. The clients' {@code cpu}
 * figures are their own side; this is the server's. The clients warm up before they say they are
 * ready, so a session's span holds their measured parts and none of their warm-ups: from the start
 * decision (the start instant's lead, idle) to the last result's arrival.
 *
 * @param seconds   the span read, start to end
 * @param cpuMillis the process's CPU time over it
 * @param accepted  connections accepted over it
 * @param notHeld   of those, the ones {@code --closer never} could not hold (past what the descriptor
 *                  limit leaves room for): served and closed after the client's FIN instead; 0 otherwise
 */
public record ServerCost(double seconds, double cpuMillis, long accepted, long notHeld) {

    /**
     * One reading of the serving process: now (nanoTime), its CPU so far (ms, -1 when unknown), its
     * accepts so far and the connections it could not hold so far.
     */
    public record Reading(long nanos, double cpuMillis, long accepted, long notHeld) {}

    /** Reads the serving process now. */
    @FunctionalInterface
    public interface Meter {
        Reading read();
    }

    /** From {@code start} to {@code end}, or null when either is missing or the CPU could not be read. */
    static ServerCost between(Reading start, Reading end) {
        if (start == null || end == null || start.cpuMillis() < 0 || end.cpuMillis() < 0 || end.nanos() <= start.nanos()) {
            return null;
        }
        // In milliseconds, as session.json keeps it: the table serve prints and the one read back agree.
        return new ServerCost(Math.round((end.nanos() - start.nanos()) / 1e6) / 1e3,
                Math.round(end.cpuMillis() - start.cpuMillis()), Math.max(0, end.accepted() - start.accepted()),
                Math.max(0, end.notHeld() - start.notHeld()));
    }

    /** The CPU over the span, a share of one CPU in percent. */
    public double cpuPercent() {
        return seconds <= 0 ? 0 : cpuMillis / 10 / seconds;
    }

    /** The CPU a connection accepted, in microseconds, or -1 when none was. */
    public double perConnectionMicros() {
        return accepted <= 0 ? -1 : cpuMillis * 1e3 / accepted;
    }

    void write(ObjectNode o) {
        o.put("seconds", Math.round(seconds * 1e3) / 1e3);
        o.put("cpuSeconds", Math.round(cpuMillis) / 1e3);
        o.put("cpuPercent", Math.round(cpuPercent() * 10) / 10.0);
        o.put("accepted", accepted);
        o.put("notHeld", notHeld);
        if (accepted > 0) {
            o.put("perConnectionMicros", Math.round(perConnectionMicros() * 10) / 10.0);
        } else {
            o.putNull("perConnectionMicros");
        }
    }

    static ServerCost read(JsonNode o) {
        return o.isObject() ? new ServerCost(o.path("seconds").asDouble(), o.path("cpuSeconds").asDouble() * 1e3,
                o.path("accepted").asLong(), o.path("notHeld").asLong()) : null;
    }
}
