package dev.churn.bench.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/** What every listener thread of a sink shares: counts, and the sockets NEVER keeps open until close. */
final class SinkStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder acceptFailures = new LongAdder();
    final LongAdder resets = new LongAdder();
    final Queue<SocketChannel> held = new ConcurrentLinkedQueue<>();
    volatile String firstAcceptFailure;

    void acceptFailed(IOException e) {
        acceptFailures.increment();
        if (firstAcceptFailure == null) {
            firstAcceptFailure = String.valueOf(e.getMessage());
        }
    }

    /** Closes every held socket (the end of a NEVER run: CLOSE_WAIT goes away). */
    void releaseHeld() {
        for (SocketChannel ch; (ch = held.poll()) != null; ) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the peer may have reset it meanwhile; it is closed either way
            }
        }
    }
}
