package dev.churn.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Says once when a destination crosses into {@link HeadroomLevel#PAST_HALF} or
 * {@link HeadroomLevel#NEARLY_FULL}: remembers each destination's level from sample to sample, and
 * warns again only after it fell back and crossed anew. Destinations that vanish are forgotten. The
 * same for the worst case of every destination, {@link Headroom#worstCaseLevel()}.
 */
public final class HeadroomWarnings {

    private Map<String, HeadroomLevel> levels = new HashMap<>();
    private HeadroomLevel worstLevel = HeadroomLevel.OK;

    /** The warnings this sample's headroom calls for, one line each, none when nothing crossed. */
    public List<String> crossings(Headroom h) {
        List<String> out = new ArrayList<>();
        Map<String, HeadroomLevel> now = new HashMap<>();
        for (Destination d : h.ranked()) {
            String key = d.local() + " -> " + d.remote();
            HeadroomLevel level = d.level();
            now.put(key, level);
            if (level.compareTo(levels.getOrDefault(key, HeadroomLevel.OK)) > 0) {
                out.add(message(key, d, h.ports()));
            }
        }
        HeadroomLevel worst = h.worstCaseLevel();
        if (worst.compareTo(worstLevel) > 0) {
            out.add(worstCaseMessage(h));
        }
        worstLevel = worst;
        levels = now;
        return out;
    }

    // The namespace-wide figure, said when it is fuller than any destination's own.
    private static String worstCaseMessage(Headroom h) {
        return "any destination: " + h.held() + " of " + h.available() + " local ports in the range held by some socket ("
                + String.format(Locale.ROOT, "%.0f%%", 100 * h.heldFraction()) + "), " + h.heldLevel().label().replace('-', ' ')
                + " in the worst case: connect() cannot use a port that bind() took (a socket bound before it connected, a"
                + " listener's accepted sockets) towards any destination, and the socket table does not tell those ports"
                + " from its own, so a destination can run out before its own count says";
    }

    private static String message(String key, Destination d, EphemeralPorts ports) {
        String head = key + ": " + d.used() + " of " + d.available() + " local ports in use ("
                + String.format(Locale.ROOT, "%.0f%%", 100 * d.usedFraction()) + "), ";
        if (d.level() == HeadroomLevel.NEARLY_FULL) {
            return head + "nearly full: connect() there fails with EADDRNOTAVAIL when none is left"
                    + (d.twReuse() ? "" : " (connect() cannot take its TIME_WAIT over: tcp_tw_reuse=" + ports.twReuse()
                            + (ports.twReuse() == 2 ? " does so on loopback only" : "") + ")");
        }
        return head + "past half: connect() tries the ports of one parity first (half of " + ports.low() + "-"
                + ports.high() + "), so from here a connect() there can walk all of them before it tries the other half";
    }
}
