package dev.churn.bench.transport;

/** One claimed cycle: a transport starts it at (not before) its intended start and reports how it ended. */
public interface Ticket {

    /** When this cycle was meant to start (System.nanoTime()); its CYCLE latency counts from here. */
    long intendedStartNanos();
}
