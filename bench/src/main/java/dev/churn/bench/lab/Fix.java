package dev.churn.bench.lab;

/** The exhaustion lab's runs: the baseline that runs out of ports, then each fix under the same load. */
public enum Fix {
    /** tcp_tw_reuse=0, the client closes first, one destination port: TIME_WAIT holds every port. */
    NONE("none (baseline)"),
    /** tcp_tw_reuse=1: connect may take over a TIME_WAIT older than a second. */
    TW_REUSE("tcp_tw_reuse=1"),
    /** SO_LINGER 0: the client resets instead of closing, leaving no TIME_WAIT. */
    LINGER_ZERO("linger 0 (RST)"),
    /** The server closes first: the TIME_WAIT lands on the server's side, not on the client's ports. */
    SERVER_CLOSES("server closes first"),
    /** Four destination ports: each local port can serve four 4-tuples. */
    MORE_PORTS("4 destination ports"),
    /** The client binds its own port with SO_REUSEADDR: a bound connect takes over a TIME_WAIT. */
    BIND_REUSEADDR("client bind + SO_REUSEADDR");

    private final String label;

    Fix(String label) {
        this.label = label;
    }

    /** How the table names it. */
    public String label() {
        return label;
    }
}
