package dev.churn.cli;

import dev.churn.monitor.KernelCounters;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What full accept queues turned away while {@code churn serve} ran: the kernel's ListenOverflows (a SYN or a
 * handshake's last ACK dropped because a listener's queue was full) since serving began. The sink never sees
 * those connections, so its accepted count cannot tell them; on a server host no client's kernel counters hold
 * them either. The counter is the network namespace's, for every listener in it, as a run's kernel line is.
 */
final class AcceptQueueDrops {

    private final Path proc;
    private final long start;

    private AcceptQueueDrops(Path proc, long start) {
        this.proc = proc;
        this.start = start;
    }

    /** Reads the counter now; where it cannot be read, {@link #sinceStart} says nothing. */
    static AcceptQueueDrops start(Path proc) {
        return new AcceptQueueDrops(proc, read(proc));
    }

    /** Overflows since the start, or -1 when unknown. */
    long sinceStart() {
        if (start < 0) {
            return -1;
        }
        long now = read(proc);
        return now < 0 ? -1 : Math.max(0, now - start);
    }

    private static long read(Path proc) {
        try {
            return KernelCounters.read(proc).get("ListenOverflows");
        } catch (IOException e) {
            return -1;
        }
    }
}
