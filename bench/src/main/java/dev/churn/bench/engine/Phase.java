package dev.churn.bench.engine;

import java.util.Locale;

/** The timed phases of one connection cycle; each has its own histogram and .hgrm file. */
public enum Phase {
    /** Client side: the connect() call, SYN sent to handshake complete. */
    CONNECT,
    /**
     * Server side (built-in sink only): from the client's connect() start to the server's accept()
     * return, so accept-queue waits show up here.
     */
    ACCEPT,
    /** Client side: from the request's first byte written (or connect end) to the first response byte. */
    FIRST_BYTE,
    /** Client side: the close choreography, from the first close step to the descriptor released. */
    CLOSE,
    /** Client side: the whole cycle, from its (intended, in open loop) start to close done. */
    CYCLE;

    /** Lower-case name: JSON key, hlog tag and file name ({@code first_byte.hgrm}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
