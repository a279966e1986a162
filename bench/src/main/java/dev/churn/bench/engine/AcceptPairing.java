package dev.churn.bench.engine;

/**
 * How well the measured part's ACCEPT waits paired up (built-in sink only): connects the sink never
 * accepted and accepts no client reported are left out of the ACCEPT phase, and counted here, so
 * its count plus {@code connectsWithoutAccept} is the connects. {@code reusedBeforeAccept} counts,
 * over the whole run, the connections that got a port whose previous connection the sink had not
 * accepted yet (they pair correctly; it says the case was met). {@code acceptedBeforeConnectReturned}
 * counts the measured waits recorded as 0 because the sink's accept() returned before the client's
 * connect() did (or in the same nanosecond): the sink's thread woke first, so nothing waited in the queue, and the phase's low
 * percentiles are then those zeros, not a measurement's floor. {@code connectsBeyondDepth} counts
 * the measured connects left out because their port came back more than {@code portDepth} times
 * before the sink accepted them (a few {@code --bind-ports}, a lagging sink): their waits, the
 * longest, are not in the phase; the sink did accept them. {@code portDepth}: the uses of one port
 * before its accept that the pairing keeps.
 */
public record AcceptPairing(long connectsWithoutAccept, long acceptsWithoutConnect, long reusedBeforeAccept,
                            long acceptedBeforeConnectReturned, long connectsBeyondDepth, int portDepth) {

    /** True when every measured connect found its accept and every accept its connect. */
    public boolean complete() {
        return connectsWithoutAccept == 0 && acceptsWithoutConnect == 0 && connectsBeyondDepth == 0;
    }
}
