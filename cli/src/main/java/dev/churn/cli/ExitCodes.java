package dev.churn.cli;

/** The exit codes every churn command uses. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The work failed (a fault, or the kernel disagreed with what was expected). */
    public static final int FAILURE = 1;
    /** What the user typed is wrong: one line says what. */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
