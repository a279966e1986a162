package dev.churn.bench.server;

import dev.churn.bench.posix.SocketCalls;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/** What every listener thread of a sink shares: counts, and the descriptors NEVER keeps open until close. */
final class SinkStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder acceptFailures = new LongAdder();
    final LongAdder resets = new LongAdder();
    final Queue<Integer> held = new ConcurrentLinkedQueue<>();
    volatile String firstAcceptFailure;

    void acceptFailed(IOException e) {
        acceptFailures.increment();
        if (firstAcceptFailure == null) {
            firstAcceptFailure = String.valueOf(e.getMessage());
        }
    }

    /** Closes every held descriptor (the end of a NEVER run: CLOSE_WAIT goes away). */
    void releaseHeld() {
        SocketCalls sys = new SocketCalls();
        for (Integer fd; (fd = held.poll()) != null; ) {
            // the peer may have reset it meanwhile; it is closed either way
            sys.closeQuietly(fd);
        }
    }
}
