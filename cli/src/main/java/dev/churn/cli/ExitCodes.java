package dev.churn.cli;

/** The exit codes every churn command uses. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The work failed (a fault, or the kernel disagreed with what was expected). */
    public static final int FAILURE = 1;
    /** What the user typed is wrong: one line says what. */
    public static final int USAGE = 2;
    /** {@code compare --fail-if-worse}: a row was worse than the first beyond the noise in a metric it names. */
    public static final int WORSE = 3;
    /**
     * Stopped by Ctrl-C: the JVM ends with 128 + SIGINT after its shutdown hooks, which let
     * {@code churn run} finish writing its files. No command returns it; it is listed for users.
     */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
