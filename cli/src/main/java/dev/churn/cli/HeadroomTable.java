package dev.churn.cli;

import dev.churn.monitor.Destination;
import dev.churn.monitor.EphemeralPorts;
import dev.churn.monitor.Headroom;
import dev.churn.monitor.HeadroomLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The block of {@code churn monitor --headroom} in the table: the sysctls it measured against, the
 * range's ports any socket holds (the worst case for every destination), then
 * one line per destination, fullest first: used/available local ports, the percentage, whether
 * tcp_tw_reuse applies there, and the warning level past 50%.
 */
final class HeadroomTable {

    private HeadroomTable() {}

    /** The block, lines ending in a newline, beginning with an empty line. */
    static String render(Headroom h) {
        EphemeralPorts p = h.ports();
        StringBuilder b = new StringBuilder("\n");
        b.append("port headroom (top ").append(h.top()).append("): ip_local_port_range ").append(p.low()).append('-')
                .append(p.high()).append(", ").append(p.reservedInRange()).append(" reserved in it, ")
                .append(h.available()).append(" available").append(h.available() == p.available() ? ""
                        : " (less " + (p.available() - h.available()) + " a listener holds)")
                .append("; tcp_tw_reuse=").append(p.twReuse()).append('\n');
        // The worst case for every destination: a port bind() took is lost to connect() towards all of them.
        b.append("held by any socket: ").append(h.held()).append('/').append(h.available()).append(' ')
                .append(String.format(Locale.ROOT, "%.1f%%", 100 * h.heldFraction()))
                .append(" (each destination's worst case: connect() cannot use a port bind() took)");
        if (h.heldLevel() != HeadroomLevel.OK) {
            b.append("  ").append(h.heldLevel().label());
        }
        b.append('\n');
        List<Destination> shown = h.shown();
        if (shown.isEmpty()) {
            return b.append("(no client sockets)\n").toString();
        }
        List<String> names = new ArrayList<>(shown.size());
        List<String> counts = new ArrayList<>(shown.size());
        for (Destination d : shown) {
            names.add(d.local() + " -> " + d.remote());
            counts.add(d.used() + "/" + d.available());
        }
        String title = "destination";
        String countTitle = "used/available";
        int nameWidth = Math.max(title.length(), names.stream().mapToInt(String::length).max().orElse(0));
        int countWidth = Math.max(countTitle.length(), counts.stream().mapToInt(String::length).max().orElse(0));
        b.append(pad(title, nameWidth)).append("  ").append(leftPad(countTitle, countWidth)).append("       %  tw_reuse\n");
        for (int i = 0; i < shown.size(); i++) {
            Destination d = shown.get(i);
            b.append(pad(names.get(i), nameWidth)).append("  ").append(leftPad(counts.get(i), countWidth))
                    .append("  ").append(leftPad(String.format(Locale.ROOT, "%.1f%%", 100 * d.usedFraction()), 6))
                    .append("  ").append(d.twReuse() ? "yes" : "no ");
            if (d.level() != HeadroomLevel.OK) {
                b.append("       ").append(d.level().label());
            }
            b.append('\n');
        }
        if (h.ranked().size() > shown.size()) {
            b.append("(").append(h.ranked().size() - shown.size()).append(" more destinations, less full)\n");
        }
        return b.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String leftPad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
