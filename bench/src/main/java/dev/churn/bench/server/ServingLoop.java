package dev.churn.bench.server;

/** One listener's serving thread body, as {@link SinkServer} starts and stops it. */
interface ServingLoop extends Runnable {

    /** Makes run() return promptly: called once by {@link SinkServer#close()} from another thread. */
    void shutdown();

    /**
     * Makes run() return within its wait (100 ms) without shutting the listener, which would reset what its accept
     * queue holds: {@link SinkServer#close()} then counts those ({@link SinkServer#countQueueAtClose}).
     */
    void stopAccepting();

    /** Releases what it holds when it will never run (the sink failed to start). */
    void abandon();
}
