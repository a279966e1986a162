package dev.churn.bench.engine;

import java.io.IOException;

/**
 * A connect that reached its own socket: the target is a loopback port inside the ephemeral range with nothing
 * listening, the kernel picked that very port as the local one, and TCP's simultaneous open connected the socket to
 * itself. Its request is then read back as the response, and the cycle completed without a server (QA, 2026-12-07:
 * 5 of 250,566 connects to a refused port in the range, 6 s). Counted as {@link FailureKind#SELF_CONNECT}.
 */
public final class SelfConnectException extends IOException {

    public SelfConnectException(int port) {
        super("connected to itself: local port " + port + " is the target's, and nothing listens there (TCP simultaneous"
                + " open: a loopback target port the client may take as its own, in the ephemeral range or --bind-ports)");
    }
}
