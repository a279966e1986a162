package dev.churn.monitor;

/**
 * One group of {@code churn monitor --by}: its display {@code key}, the typed fields the keys
 * gave it (null when no key gave them: {@code pid} and {@code command} from {@code process},
 * {@code port} from {@code port}, {@code side} from {@code port}, {@code side} or an unowned
 * {@code process}, {@code address} from {@code peer} or {@code remote}, {@code remotePort} from
 * {@code remote}), its sockets per state, and how long its CLOSE_WAIT sockets have been idle
 * ({@code closeWaitIdle}: null when it has none, or the source cannot tell, as /proc cannot).
 */
public record SocketGroup(String key, Long pid, String command, Integer port, Side side, String address,
        Integer remotePort, StateCounts states, IdleAges closeWaitIdle) {

    /** The key of the group that sums the groups beyond {@code --top}. */
    public static final String OTHER = "other";

    /** A group without idle ages. */
    public SocketGroup(String key, Long pid, String command, Integer port, Side side, String address,
            Integer remotePort, StateCounts states) {
        this(key, pid, command, port, side, address, remotePort, states, null);
    }
}
