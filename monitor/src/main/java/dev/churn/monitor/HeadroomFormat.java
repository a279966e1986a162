package dev.churn.monitor;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * How {@code churn monitor --headroom} writes a sample's {@link Headroom}. JSON: the sample object
 * gains {@code "headroom": {"portRange": [low, high], "reserved": n, "twReuse": 0|1|2,
 * "available": n, "held": n, "heldFraction": f, "heldWarning": null|"past-half"|"nearly-full",
 * "destinations": [{"local": "...", "remote": "ip:port", "used": n, "available": n,
 * "usedFraction": f, "twReuse": true|false, "warning": null|"past-half"|"nearly-full"}, ...]}},
 * the {@code --top} fullest first; {@code reserved} counts the reserved ports inside the range,
 * {@code held} the range's ports any socket of the namespace holds (the worst case for every
 * destination, {@link Headroom}). CSV, format {@code churn.headroom/2} ({@code /1} ended at
 * {@code tw_reuse_sysctl}): the first line is exactly {@link #CSV_HEADER}; one row per shown
 * destination per sample, {@code t_ms} as in {@code churn.states}; a sample without client
 * sockets writes no row.
 */
public final class HeadroomFormat {

    /** The first line of the headroom CSV, format {@code churn.headroom/2}. */
    public static final String CSV_HEADER =
            "t_ms,local,remote,used,available,used_fraction,tw_reuse,warning,port_low,port_high,reserved,tw_reuse_sysctl,"
                    + "held,held_fraction";

    private HeadroomFormat() {}

    /** Writes the {@code headroom} field into an open sample object. */
    static void writeJson(JsonGenerator g, Headroom h) throws IOException {
        g.writeObjectFieldStart("headroom");
        g.writeArrayFieldStart("portRange");
        g.writeNumber(h.ports().low());
        g.writeNumber(h.ports().high());
        g.writeEndArray();
        g.writeNumberField("reserved", h.ports().reservedInRange());
        g.writeNumberField("twReuse", h.ports().twReuse());
        g.writeNumberField("available", h.available());
        g.writeNumberField("held", h.held());
        g.writeNumberField("heldFraction", round(h.heldFraction()));
        if (h.heldLevel() == HeadroomLevel.OK) {
            g.writeNullField("heldWarning");
        } else {
            g.writeStringField("heldWarning", h.heldLevel().label());
        }
        g.writeArrayFieldStart("destinations");
        for (Destination d : h.shown()) {
            g.writeStartObject();
            g.writeStringField("local", d.local());
            g.writeStringField("remote", d.remote());
            g.writeNumberField("used", d.used());
            g.writeNumberField("available", d.available());
            g.writeNumberField("usedFraction", round(d.usedFraction()));
            g.writeBooleanField("twReuse", d.twReuse());
            if (d.level() == HeadroomLevel.OK) {
                g.writeNullField("warning");
            } else {
                g.writeStringField("warning", d.level().label());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Writes one row per shown destination (newlines included) for one sample. */
    public static void writeCsvRows(Sample s, Headroom h, Writer out) throws IOException {
        StringBuilder b = new StringBuilder(96 * Math.max(1, h.shown().size()));
        EphemeralPorts p = h.ports();
        for (Destination d : h.shown()) {
            b.append(s.elapsedMillis()).append(',').append(d.local()).append(',').append(d.remote())
                    .append(',').append(d.used()).append(',').append(d.available())
                    .append(',').append(String.format(Locale.ROOT, "%.4f", d.usedFraction()))
                    .append(',').append(d.twReuse())
                    .append(',').append(d.level() == HeadroomLevel.OK ? "" : d.level().label())
                    .append(',').append(p.low()).append(',').append(p.high())
                    .append(',').append(p.reservedInRange()).append(',').append(p.twReuse())
                    .append(',').append(h.held()).append(',').append(String.format(Locale.ROOT, "%.4f", h.heldFraction()))
                    .append('\n');
        }
        out.write(b.toString());
    }

    // Four decimals, written plain: 0.6 rather than 0.6000000000000001, 0.0001 rather than 1.0E-4.
    private static BigDecimal round(double f) {
        return new BigDecimal(String.format(Locale.ROOT, "%.4f", f)).stripTrailingZeros();
    }
}
