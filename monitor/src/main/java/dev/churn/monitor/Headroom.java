package dev.churn.monitor;

import java.util.List;

/**
 * One sample's port headroom: the settings it was measured against and every destination with
 * client sockets, ranked by the fraction of ports used, fullest first; {@link #shown()} is the
 * {@code --top} of them that output and metrics carry.
 */
public record Headroom(EphemeralPorts ports, List<Destination> ranked, int top) {

    public Headroom {
        ranked = List.copyOf(ranked);
    }

    /** The first {@code top} destinations. */
    public List<Destination> shown() {
        return ranked.subList(0, Math.min(top, ranked.size()));
    }
}
