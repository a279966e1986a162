package dev.churn.bench.engine;

import java.util.Locale;

/** The timed phases of one connection cycle; each has its own histogram and .hgrm file. */
public enum Phase {
    /** Client side: the connect() call, SYN sent to handshake complete. */
    CONNECT,
    /**
     * Client side, with {@code --tls}: the TLS handshake, {@code startHandshake()} whole: from before the
     * ClientHello is built (its key shares made) to the handshake complete (TLS 1.3: the client's Finished
     * sent; a full TLS 1.2: the server's Finished read); CONNECT stays the TCP handshake.
     */
    TLS,
    /**
     * Server side (built-in sink only): the accept-queue wait, from the client's connect() return
     * (the handshake is done) to the sink's accept() return. It shows how far the sink lags behind
     * the clients, not what a connection costs (see {@code AcceptClock}).
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
