package dev.churn.monitor;

import java.util.Locale;

/**
 * The kernel's TCP states with the codes {@code /proc/net/tcp} and {@code inet_diag} report
 * (include/net/tcp_states.h). The names are the keys everywhere: JSON, CSV headers, and, in lower
 * case, JMH result labels.
 */
public enum TcpState {
    ESTABLISHED(0x01),
    SYN_SENT(0x02),
    SYN_RECV(0x03),
    FIN_WAIT1(0x04),
    FIN_WAIT2(0x05),
    TIME_WAIT(0x06),
    CLOSE(0x07),
    CLOSE_WAIT(0x08),
    LAST_ACK(0x09),
    LISTEN(0x0A),
    CLOSING(0x0B);

    private static final TcpState[] BY_CODE = new TcpState[16];

    static {
        for (TcpState s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    TcpState(int code) {
        this.code = code;
    }

    /** The kernel's numeric code, 1..11. */
    public int code() {
        return code;
    }

    /** The bit for this state in an {@code idiag_states} mask. */
    public int mask() {
        return 1 << code;
    }

    /** Lower-case name, as used in JMH secondary result labels ({@code time_wait}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state for a kernel code, or null for codes outside 1..11 (the kernel's internal
     * NEW_SYN_RECV = 12 and BOUND_INACTIVE = 13 never reach user space as sockets of their own).
     */
    public static TcpState fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The {@code idiag_states} mask selecting every state. */
    public static int allMask() {
        int m = 0;
        for (TcpState s : values()) {
            m |= s.mask();
        }
        return m;
    }
}
