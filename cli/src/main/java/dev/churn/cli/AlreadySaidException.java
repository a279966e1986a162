package dev.churn.cli;

import java.io.IOException;

/**
 * A failure its command has already said on standard error, at the moment it happened: {@link Main} prints nothing
 * more. For a stop, whose line must be out before the shutdown hook lets the JVM end, which it may do before the
 * exception reaches Main (a joined run stopped by Ctrl-C while it waited for the session printed nothing; QA,
 * 2026-12-07).
 */
final class AlreadySaidException extends IOException {

    AlreadySaidException(String message) {
        super(message);
    }
}
