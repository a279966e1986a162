package dev.churn.cli;

/**
 * What Ctrl-C (or SIGTERM) runs while a command works: a JVM shutdown hook, installed for the
 * command's span and removed at its end. Removing it fails once Ctrl-C has started it, and then
 * there is nothing to remove: the hook is running and waits for what the command still writes.
 */
final class StopHook {

    private final Thread thread;
    private final boolean installed;

    private StopHook(Thread thread, boolean installed) {
        this.thread = thread;
        this.installed = installed;
    }

    /** Installs {@code onStop} as a shutdown hook named {@code churn-<name>}; see {@link #installed}. */
    static StopHook install(String name, Runnable onStop) {
        Thread t = Thread.ofPlatform().name("churn-" + name).unstarted(onStop);
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return new StopHook(t, true);
        } catch (IllegalStateException shuttingDown) {
            return new StopHook(t, false);
        }
    }

    /**
     * True once Ctrl-C or SIGTERM has started the JVM's shutdown: what fails after it fails because of it (a lab's
     * server stopped by the shutdown hook read as "the server did not start in 30 s"; QA, 2026-12-07).
     */
    static boolean stopping() {
        Thread probe = Thread.ofPlatform().unstarted(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }

    /** False when the JVM was already shutting down (Ctrl-C came first): the caller should stop at once. */
    boolean installed() {
        return installed;
    }

    /** Removes the hook, unless Ctrl-C has already started it. */
    void remove() {
        if (!installed) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running.
        }
    }
}
