package dev.churn.bench.server;

/**
 * Whether to make a system call that is often wasted: a read right after accept (the request may
 * not be there yet), or a second accept4 in a burst (nothing more may be queued). Made every time
 * while it pays; after {@link #PROBE} misses in a row, made only every {@value #PROBE}th time, so
 * a shape where it always misses (one connection at a time, a client that writes after its
 * connect returns) no longer pays it per connection, and one hit brings it back. Skipping it
 * changes no outcome, only who notices first: level-triggered epoll reports the same readiness on
 * its next wait. One serving loop's own, not shared between threads.
 */
final class CallThatMayMiss {

    static final int PROBE = 32;

    private int misses;
    private int skipped;

    boolean worthTrying() {
        if (misses < PROBE) {
            return true;
        }
        if (++skipped >= PROBE) {
            skipped = 0;
            return true;
        }
        return false;
    }

    void paid() {
        misses = 0;
        skipped = 0;
    }

    void missed() {
        if (misses < PROBE) {
            misses++;
        }
    }
}
