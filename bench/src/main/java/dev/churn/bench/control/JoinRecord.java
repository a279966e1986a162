package dev.churn.bench.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code join.json} ({@value #SCHEMA}) in a joined client's results folder: which server started
 * it, its clock against the server's, and when its measured part began on both clocks.
 *
 * @param server          the control port, host:port
 * @param label           the client's label in the session (the server makes duplicates unique)
 * @param index           1-based, in the order of joining
 * @param clients         the session's size
 * @param clock           this client's clock against the server's
 * @param startAtNanos    the start instant, server clock, epoch nanoseconds
 * @param startedAtNanos  when the measured part began, this client's clock
 */
public record JoinRecord(String server, String label, int index, int clients, ClockOffset clock, long startAtNanos,
        long startedAtNanos) {

    public static final String SCHEMA = "churn.join/1";
    public static final String FILE = "join.json";

    /** How long after the start instant the measured part began, on the server's clock. */
    public long startedLateNanos() {
        return clock.toServer(startedAtNanos) - startAtNanos;
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("server", server);
        o.put("label", label);
        o.put("index", index);
        o.put("clients", clients);
        o.put("clockOffsetNanos", clock.offsetNanos());
        o.put("roundTripNanos", clock.rttNanos());
        o.put("clockSamples", clock.samples());
        o.put("startAt", EpochClock.instant(startAtNanos).toString());
        o.put("startAtLocal", EpochClock.instant(clock.toClient(startAtNanos)).toString());
        o.put("startedAt", startedAtNanos == 0 ? null : EpochClock.instant(startedAtNanos).toString());
        if (startedAtNanos != 0) {
            o.put("startedLateNanos", startedLateNanos());
        }
        return o;
    }
}
