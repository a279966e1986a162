package dev.churn.cli;

/**
 * Thrown by a command when an option's value is wrong in a way picocli cannot see (a missing
 * directory, an impossible combination): reported as one line with exit code 2.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
