package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;

/**
 * One row of /proc/net/tcp or tcp6: ports, state and the pending timer ({@code tr}: 0 none,
 * 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe; {@code when} in clock ticks).
 */
public record SocketRow(int localPort, int remotePort, TcpState state, int timer, long whenTicks) {

    /** Clock ticks per second in /proc (USER_HZ, 100 on every Linux architecture). */
    public static final int USER_HZ = 100;

    /** The remaining time of the pending timer, in seconds. */
    public double timerSeconds() {
        return whenTicks / (double) USER_HZ;
    }
}
