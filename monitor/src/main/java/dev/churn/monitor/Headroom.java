package dev.churn.monitor;

import java.util.List;

/**
 * One sample's port headroom: the settings it was measured against, the ports connect() can pick
 * from ({@code available}: the range less its reserved ports and the ports of listeners in it),
 * how many of those any socket of the namespace holds ({@code held}), and every destination with
 * client sockets, ranked by the fraction of ports used, fullest first; {@link #shown()} is the
 * {@code --top} of them that output and metrics carry.
 *
 * <p>{@code held} is the worst case for every destination: a port that bind() took (before
 * connect(), or a listener's accepted sockets) is lost to connect() towards all of them, and the
 * socket table does not tell such a port from one connect() took, which other destinations can
 * share (see {@link PortHeadroom}).
 */
public record Headroom(EphemeralPorts ports, long available, long held, List<Destination> ranked, int top) {

    public Headroom {
        ranked = List.copyOf(ranked);
    }

    /** The first {@code top} destinations. */
    public List<Destination> shown() {
        return ranked.subList(0, Math.min(top, ranked.size()));
    }

    /** {@code held} over {@code available}: how full the range would be for a destination were every held port bind()'s. */
    public double heldFraction() {
        return available <= 0 ? 1.0 : Math.min(1.0, (double) held / available);
    }

    /** The level of {@link #heldFraction()}. */
    public HeadroomLevel heldLevel() {
        return HeadroomLevel.of(heldFraction());
    }

    /**
     * The held level when it says more than the fullest destination's own (else OK): where the
     * ports in use all point at one destination, the two are the same figure and one warning says it.
     */
    public HeadroomLevel worstCaseLevel() {
        HeadroomLevel fullest = ranked.isEmpty() ? HeadroomLevel.OK : ranked.getFirst().level();
        return heldLevel().compareTo(fullest) > 0 ? heldLevel() : HeadroomLevel.OK;
    }
}
