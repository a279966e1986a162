package dev.churn.monitor;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * How {@code churn monitor --by} writes its groups. JSON: the sample object gains
 * {@code "by": ["process", ...]}, {@code "groups": [{"key": "...", typed fields..., "states":
 * {all eleven}, "closeWaitIdleMs": {"oldest": n, "median": n}}, ...]}, ranked, {@code other} last,
 * and {@code "timeWaitRemaining": {"0-10s": n, ..., "50-60s": n, "over60s": n}} for the whole
 * sample; a typed field ({@code pid}, {@code command}, {@code port}, {@code side}, {@code address},
 * {@code remotePort}) is present only when a key gave it, {@code closeWaitIdleMs} only when the
 * group has CLOSE_WAIT sockets whose idle age the source gave. CSV, format {@code churn.groups/2}:
 * the first line is exactly {@link #CSV_HEADER}; one row per group per sample, {@code t_ms} as in
 * {@code churn.states}, the key quoted, fields no key gave empty, then the group's CLOSE_WAIT idle
 * ages (empty when unknown) and the sample's TIME_WAIT histogram, the same on every row of a sample.
 * Version 1 ended at {@code total}.
 */
public final class SocketGroupFormat {

    /** The first line of the grouped CSV, format {@code churn.groups/2}. */
    public static final String CSV_HEADER = csvHeader();

    private static final TcpState[] STATES = TcpState.values();

    private SocketGroupFormat() {}

    /**
     * Writes the {@code by}, {@code groups} and (when {@code timeWait} is not null)
     * {@code timeWaitRemaining} fields into an open sample object.
     */
    static void writeJson(JsonGenerator g, List<GroupKey> by, List<SocketGroup> groups, TimeWaitRemaining timeWait)
            throws IOException {
        g.writeArrayFieldStart("by");
        for (GroupKey k : by) {
            g.writeString(k.label());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("groups");
        for (SocketGroup group : groups) {
            g.writeStartObject();
            g.writeStringField("key", group.key());
            if (group.pid() != null) {
                g.writeNumberField("pid", group.pid());
            }
            if (group.command() != null) {
                g.writeStringField("command", group.command());
            }
            if (group.port() != null) {
                g.writeNumberField("port", group.port());
            }
            if (group.side() != null) {
                g.writeStringField("side", group.side().label());
            }
            if (group.address() != null) {
                g.writeStringField("address", group.address());
            }
            if (group.remotePort() != null) {
                g.writeNumberField("remotePort", group.remotePort());
            }
            g.writeObjectFieldStart("states");
            for (TcpState s : STATES) {
                g.writeNumberField(s.name(), group.states().get(s));
            }
            g.writeEndObject();
            if (group.closeWaitIdle() != null) {
                g.writeObjectFieldStart("closeWaitIdleMs");
                g.writeNumberField("oldest", group.closeWaitIdle().oldestMillis());
                g.writeNumberField("median", group.closeWaitIdle().medianMillis());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (timeWait != null) {
            g.writeObjectFieldStart("timeWaitRemaining");
            for (int i = 0; i < TimeWaitRemaining.buckets(); i++) {
                g.writeNumberField(TimeWaitRemaining.label(i), timeWait.count(i));
            }
            g.writeEndObject();
        }
    }

    /** Writes one row per group (newlines included) for one sample, its TIME_WAIT histogram unknown. */
    public static void writeCsvRows(Sample s, List<SocketGroup> groups, Writer out) throws IOException {
        writeCsvRows(s, groups, null, out);
    }

    /** Writes one row per group (newlines included) for one sample; {@code timeWait} null leaves its columns empty. */
    public static void writeCsvRows(Sample s, List<SocketGroup> groups, TimeWaitRemaining timeWait, Writer out)
            throws IOException {
        StringBuilder tail = new StringBuilder();
        for (int i = 0; i < TimeWaitRemaining.buckets(); i++) {
            tail.append(',');
            if (timeWait != null) {
                tail.append(timeWait.count(i));
            }
        }
        StringBuilder b = new StringBuilder(160 * Math.max(1, groups.size()));
        for (SocketGroup g : groups) {
            b.append(s.elapsedMillis()).append(',');
            quoted(b, g.key()).append(',');
            if (g.pid() != null) {
                b.append(g.pid());
            }
            b.append(',');
            if (g.command() != null) {
                quoted(b, g.command());
            }
            b.append(',').append(g.port() == null ? "" : g.port().toString());
            b.append(',').append(g.side() == null ? "" : g.side().label());
            b.append(',').append(g.address() == null ? "" : g.address());
            b.append(',').append(g.remotePort() == null ? "" : g.remotePort().toString());
            for (TcpState state : STATES) {
                b.append(',').append(g.states().get(state));
            }
            b.append(',').append(g.states().total());
            IdleAges idle = g.closeWaitIdle();
            b.append(',').append(idle == null ? "" : Long.toString(idle.oldestMillis()));
            b.append(',').append(idle == null ? "" : Long.toString(idle.medianMillis()));
            b.append(tail).append('\n');
        }
        out.write(b.toString());
    }

    // Control characters as \xNN: a process names itself, and an ESC sequence in its name reached a terminal that the
    // CSV was printed to raw, and a newline would split a row for a reader of lines (QA, 2026-12-06).
    private static StringBuilder quoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c == '"' ? "\"\"" : String.valueOf(c));
            }
        }
        return b.append('"');
    }

    private static String csvHeader() {
        StringBuilder b = new StringBuilder("t_ms,key,pid,command,port,side,address,remote_port");
        for (TcpState s : TcpState.values()) {
            b.append(',').append(s.name());
        }
        b.append(",total,cw_idle_oldest_ms,cw_idle_median_ms");
        for (int i = 0; i < TimeWaitRemaining.buckets(); i++) {
            b.append(',').append(TimeWaitRemaining.column(i));
        }
        return b.toString();
    }
}
