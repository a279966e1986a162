package dev.churn.bench.config;

import java.util.Locale;

/** Close choreography: who sends the first FIN, and so which side keeps TIME_WAIT. */
public enum Closer {
    /** The client closes first: TIME_WAIT on the client. */
    CLIENT,
    /** The server closes first: TIME_WAIT on the server. */
    SERVER,
    /** The client sets SO_LINGER 0 and closes: an RST, no TIME_WAIT anywhere. */
    ABORT,
    /** The client shuts its output down (FIN), reads the server's FIN, then closes. */
    HALF,
    /** The server never closes: CLOSE_WAIT piles up until the run ends and releases it. */
    NEVER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
