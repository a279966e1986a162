package dev.churn.bench.server;

/** One listener's serving thread body, as {@link SinkServer} starts and stops it. */
interface ServingLoop extends Runnable {

    /** Makes run() return promptly: called once by {@link SinkServer#close()} from another thread. */
    void shutdown();

    /** Releases what it holds when it will never run (the sink failed to start). */
    void abandon();
}
