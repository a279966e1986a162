package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;
import java.util.List;
import java.util.Objects;

/**
 * One step of a state walk: what was done, the segments it sends, the states TCP says each
 * endpoint must be in afterwards and the states the kernel reported (null: no socket listed,
 * i.e. CLOSED).
 */
public record Step(String scenario, String action, List<Arrow> arrows,
        TcpState expectedClient, TcpState expectedServer, TcpState client, TcpState server) {

    public Step {
        arrows = List.copyOf(arrows);
    }

    /** True when the kernel reported what TCP says for both endpoints. */
    public boolean matches() {
        return Objects.equals(expectedClient, client) && Objects.equals(expectedServer, server);
    }
}
