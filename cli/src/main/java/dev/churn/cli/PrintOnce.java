package dev.churn.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What a command prints once, at its end or from its Ctrl-C hook, whichever comes first; the other waits until that is
 * out. The hook of a lab found the end's printing under way, returned at once, and the JVM ended in the middle of it:
 * {@code churn lab timewait} stopped by Ctrl-C as it printed showed two of its four rows and no last line, exit 130
 * (1 of 24 signals at random moments, QA 2026-12-08).
 */
final class PrintOnce {

    /** How long a second caller waits for the first's printing: standard output that takes no more is not waited for. */
    static final long WAIT_SECONDS = 10;

    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch printed = new CountDownLatch(1);

    /**
     * True for the first caller, which prints and then calls {@link #done}; a later caller waits until it has (at most
     * {@value #WAIT_SECONDS} s) and gets false: there is nothing left for it to print.
     */
    private boolean claim() {
        if (claimed.compareAndSet(false, true)) {
            return true;
        }
        try {
            printed.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The first caller's printing is out (or failed): whoever waits in {@link #claim} goes on. */
    private void done() {
        printed.countDown();
    }

    /**
     * Prints with {@code print} when this caller is the first ({@link #claim}, then {@link #done}), and returns what it
     * returned; false when the other caller printed (waited for until it had).
     */
    boolean print(BooleanSupplier print) {
        if (!claim()) {
            return false;
        }
        try {
            return print.getAsBoolean();
        } finally {
            done();
        }
    }
}
