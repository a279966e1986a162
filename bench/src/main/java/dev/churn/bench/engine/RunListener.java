package dev.churn.bench.engine;

/**
 * Hears a run as it goes: the results writer, the progress bar and the state sampler hang here.
 * Calls come from the engine's reporting thread, one at a time, in order: {@link #started} (then
 * {@link #rehearse} when there is no warm-up), then {@link #tick} every 200 ms for the first second
 * of the warm-up and of the measured part, then once a second (warm-up ticks have {@code warmup}
 * true), then {@link #finished}.
 */
public interface RunListener {

    /** The run is about to start cycles; the target's ports are known (filter the monitor by them). */
    default void started(RunInfo info) {}

    /**
     * The measured part is about to begin: the warm-up's cycles (if any) have all ended and no measured
     * cycle has started. The one call not made on the reporting thread (the engine's driver makes it,
     * so nothing measured comes before it): keep it short. Snapshots that must cover exactly the
     * measured part, such as kernel counters, are taken here.
     */
    default void measuring() {}

    /** Each interval (200 ms early in a run, then 1 s): what happened since the last tick. */
    default void tick(Tick tick) {}

    /**
     * A made-up warm-up tick, handed over before a run with no warm-up starts (after
     * {@link #started}), only so that the code a tick runs is compiled before the measured part:
     * do with it what a warm-up tick gets, and let nothing of it reach a result, a screen or a peer.
     */
    default void rehearse(Tick tick) {}

    /**
     * The run ended (done, stopped or failed too often); the result is final. Called before the
     * built-in sink closes, so the sockets it holds are still held (the end-of-load state).
     */
    default void finished(RunResult result) {}

    /** Never hears anything. */
    RunListener NONE = new RunListener() {};
}
