package dev.churn.bench.server;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/** Waits for a sink's counter, which its serving thread moves on after the client's call returned. */
final class Await {

    private Await() {}

    /** Returns once {@code value} reaches {@code want}, or after 2 s (the caller's assertion then says what it saw). */
    static void atLeast(LongSupplier value, long want) {
        for (int i = 0; i < 200 && value.getAsLong() < want; i++) {
            LockSupport.parkNanos(10_000_000);
        }
    }
}
