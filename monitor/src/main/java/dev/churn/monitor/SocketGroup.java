package dev.churn.monitor;

/**
 * One group of {@code churn monitor --by}: its display {@code key}, the typed fields the keys
 * gave it (null when no key gave them: {@code pid} and {@code command} from {@code process},
 * {@code port} from {@code port}, {@code side} from {@code port}, {@code side} or an unowned
 * {@code process}, {@code address} from {@code peer} or {@code remote}, {@code remotePort} from
 * {@code remote}) and its sockets per state.
 */
public record SocketGroup(String key, Long pid, String command, Integer port, Side side, String address,
        Integer remotePort, StateCounts states) {

    /** The key of the group that sums the groups beyond {@code --top}. */
    public static final String OTHER = "other";
}
