package dev.churn.bench.control;

import java.io.IOException;

/**
 * The peer is not churn's control channel, speaks another version of it, or said something the
 * protocol does not allow: a setup mistake to fix (wrong port, mixed versions), not a fault of the
 * network. The message is one line for the user.
 */
public final class ControlProtocolException extends IOException {

    public ControlProtocolException(String message) {
        super(message);
    }
}
