package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * ACCEPT is the accept-queue wait: from the client's connect() return to the sink's accept()
 * return, recorded in the part of the run the client's cycle belongs to.
 */
class AcceptClockTest {

    private record Recorded(long nanos, boolean measured) {}

    private final List<Recorded> recorded = new ArrayList<>();
    private static final long STALE = 5_000_000_000L;

    private final AcceptClock clock = new AcceptClock(1_000, STALE, (n, m) -> recorded.add(new Recorded(n, m)));

    {
        clock.measuredFrom(1_000); // no warm-up: every accept belongs to the measured part
    }

    @Test
    void theWaitRunsFromConnectReturnToAcceptReturn() {
        clock.connected(40000, 10_000, 15_000, true);
        clock.accepted(40000, 90_000);
        assertEquals(List.of(new Recorded(75_000, true)), recorded, "accept - connect end, not accept - connect start");
    }

    @Test
    void anAcceptBeforeTheClientSeesItsConnectReturnWaitedNothing() {
        clock.accepted(40001, 12_000); // the sink's thread woke before the client's
        clock.connected(40001, 10_000, 15_000, false);
        assertEquals(List.of(new Recorded(0, false)), recorded);
        assertEquals(1, clock.acceptedBeforeConnectReturned());
    }

    @Test
    void anAcceptInTheSameNanosecondAsTheConnectReturnIsCountedWithTheZeros() {
        clock.connected(40013, 10_000, 15_000, true);
        clock.accepted(40013, 15_000);
        assertEquals(List.of(new Recorded(0, true)), recorded);
        assertEquals(1, clock.acceptedBeforeConnectReturned(), "every 0 in the histogram is counted");
    }

    @Test
    void aLeftoverOfAnEarlierConnectionIsNotPaired() {
        clock.accepted(40002, 5_000); // before this client's connect even started: someone else's
        clock.connected(40002, 10_000, 15_000, true);
        assertTrue(recorded.isEmpty(), recorded::toString);
        clock.accepted(40002, 20_000);
        assertEquals(List.of(new Recorded(5_000, true)), recorded);
    }

    /**
     * A linger-0 close frees the port at once, so the next connection can take it before the sink
     * accepted the previous one: both client posts come before either accept. The accept queue is
     * FIFO, so the first accept is the first connection's. The old single slot let the second post
     * replace the first, paired the first accept with it and left the second accept unpaired.
     */
    @Test
    void aPortReusedBeforeItsAcceptPairsEachAcceptWithItsOwnConnect() {
        clock.connected(40003, 10_000, 15_000, true); // A
        clock.connected(40003, 20_000, 25_000, true); // B: A closed (RST), the port came back
        clock.accepted(40003, 30_000); // A's accept
        clock.accepted(40003, 31_000); // B's
        assertEquals(List.of(new Recorded(15_000, true), new Recorded(6_000, true)), recorded);
        assertEquals(new AcceptPairing(0, 0, 1, 0, 0, AcceptClock.DEPTH), clock.pairing());
    }

    /**
     * Seen in real runs: connect() picks the port inside the call, so a connect() that started
     * first (A, preempted in the port search) can get the port after a later one (B) used and freed
     * it. B posts first with the later start; the old code took A's post, older, for a leftover and
     * dropped it, losing one ACCEPT sample. Posts on a port come in the order the port was used.
     */
    @Test
    void postsInPortOrderPairEvenWhenTheirConnectStartsAreNot() {
        clock.connected(40004, 20_000, 25_000, true); // B: started later, got the port first
        clock.connected(40004, 10_000, 40_000, true); // A: started first, got the port after B's close
        clock.accepted(40004, 45_000); // B's accept (queued first)
        clock.accepted(40004, 47_000); // A's
        assertEquals(List.of(new Recorded(20_000, true), new Recorded(7_000, true)), recorded);
        assertTrue(clock.pairing().complete(), clock.pairing()::toString);
    }

    /** Either side may come first, for each of two connections that share a port. */
    @Test
    void acceptsBeforeConnectReturnsOnAReusedPortStillPairInOrder() {
        clock.connected(40005, 10_000, 15_000, true); // A
        clock.accepted(40005, 14_000); // A's accept, before A's client saw connect() return... already posted
        clock.accepted(40005, 22_000); // B's accept, before B's client posted
        clock.connected(40005, 20_000, 23_000, false); // B
        assertEquals(List.of(new Recorded(0, true), new Recorded(0, false)), recorded);
        assertEquals(2, clock.acceptedBeforeConnectReturned());
        assertTrue(clock.pairing().complete(), clock.pairing()::toString);
        assertEquals(1, clock.pairing().acceptedBeforeConnectReturned(), "A's zero only: B's cycle was a warm-up's");
    }

    /**
     * A connect the sink never accepted (the kernel dropped it from a full accept queue) leaves a
     * client post behind. The port's next connection, seconds later, is accepted before its client
     * posts: the old code paired that accept with the stale post (a 6 s wait) and left the real
     * post over. Older than the connect timeout, the stale post is dropped and counted.
     */
    @Test
    void aConnectNeverAcceptedIsCountedNotPairedWithALaterAccept() {
        clock.connected(40006, 10_000, 20_000, true); // X: never accepted
        clock.accepted(40006, 6_000_000_000L); // A's accept
        clock.connected(40006, 5_999_900_000L, 5_999_950_000L, true); // A
        assertEquals(List.of(new Recorded(50_000, true)), recorded);
        assertEquals(new AcceptPairing(1, 0, 0, 0, 0, AcceptClock.DEPTH), clock.pairing());
    }

    /**
     * A connection the kernel never queued (its last ACK dropped from a full accept queue, then reset) and its port
     * used again: once the listener has accepted a connection made well after it, the accept queue being FIFO, its post
     * is dropped and counted, and the port's next accept pairs with its own connect. The stale bound alone (here 5 s)
     * paired each later accept on the port with the connection before its own (review, 2026-12-07).
     */
    @Test
    void aConnectNeverQueuedIsDroppedOnceItsListenerAcceptedALaterOne() {
        clock.connected(40021, 10_000, 20_000, true); // X: never queued
        clock.connected(40022, 1_100_000_000L, 1_100_010_000L, true); // Y, on another port, over a second later
        clock.accepted(40022, 1_100_030_000L);
        clock.connected(40021, 2_000_000_000L, 2_000_010_000L, true); // A, X's port again
        clock.accepted(40021, 2_000_030_000L);
        clock.connected(40021, 3_000_000_000L, 3_000_010_000L, true); // B
        clock.accepted(40021, 3_000_015_000L);
        assertEquals(List.of(new Recorded(20_000, true), new Recorded(20_000, true), new Recorded(5_000, true)), recorded);
        assertEquals(new AcceptPairing(1, 0, 1, 0, 0, AcceptClock.DEPTH), clock.pairing());
    }

    /**
     * Each listener's queue is its own: one that lags another (a sink loop behind) still pairs an old post, because only
     * the connections its own thread accepted say how far its queue has gone.
     */
    @Test
    void aListenerBehindAnotherStillPairsItsOldConnections() throws InterruptedException {
        clock.connected(40023, 10_000, 20_000, true); // Z, queued on the lagging listener
        clock.connected(40024, 1_500_000_000L, 1_500_010_000L, true);
        Thread other = Thread.ofPlatform().start(() -> clock.accepted(40024, 1_500_030_000L)); // the listener ahead
        other.join();
        clock.accepted(40023, 1_600_020_000L); // the lagging listener, 1.6 s behind
        assertEquals(List.of(new Recorded(20_000, true), new Recorded(1_600_000_000L, true)), recorded);
        assertEquals(new AcceptPairing(0, 0, 0, 0, 0, AcceptClock.DEPTH), clock.pairing());
    }

    /**
     * A sink lagging past a short connect timeout is still measured: the run's stale bound is never under 10 s. With
     * the 200 ms timeout as the bound, a 2 s wait was dropped, its connect counted as never accepted and its accept
     * as no client's.
     */
    @Test
    void aWaitLongerThanAShortConnectTimeoutIsMeasured() {
        List<Recorded> got = new ArrayList<>();
        AcceptClock c = new AcceptClock(1_000, RunControl.acceptStaleNanos(Duration.ofMillis(200)),
                (n, m) -> got.add(new Recorded(n, m)));
        c.measuredFrom(1_000);
        c.connected(40020, 10_000, 20_000, true);
        c.accepted(40020, 2_000_020_000L);
        assertEquals(List.of(new Recorded(2_000_000_000L, true)), got);
        assertEquals(new AcceptPairing(0, 0, 0, 0, 0, AcceptClock.DEPTH), c.pairing());
        assertEquals(30_000_000_000L, RunControl.acceptStaleNanos(Duration.ofSeconds(30)), "a longer timeout stands");
    }

    /** An accept whose client never reported (its connect() failed after the handshake) is counted, not paired. */
    @Test
    void anAcceptWithoutItsConnectIsCountedAndTheNextConnectionStillPairs() {
        clock.accepted(40007, 5_000); // Y: its client gave up
        clock.connected(40007, 10_000, 15_000, true); // A
        clock.accepted(40007, 18_000);
        assertEquals(List.of(new Recorded(3_000, true)), recorded);
        assertEquals(new AcceptPairing(0, 1, 0, 0, 0, AcceptClock.DEPTH), clock.pairing());
    }

    /** An accept that returned before the oldest waiting connect() began is no client's of ours. */
    @Test
    void anAcceptBeforeEveryWaitingConnectIsCounted() {
        clock.connected(40008, 10_000, 15_000, true);
        clock.accepted(40008, 9_000);
        assertTrue(recorded.isEmpty(), recorded::toString);
        clock.accepted(40008, 16_000);
        assertEquals(List.of(new Recorded(1_000, true)), recorded);
        assertEquals(new AcceptPairing(0, 1, 0, 0, 0, AcceptClock.DEPTH), clock.pairing());
    }

    /**
     * A port's FIFO is bounded: a client post beyond it pushes the oldest out, counted apart, and
     * that connection's accept, the port's next, is skipped rather than paired with a later connect.
     */
    @Test
    void aFullPortGivesUpItsOldestPostAndSkipsItsAccept() {
        for (int i = 0; i <= AcceptClock.DEPTH; i++) {
            clock.connected(40009, 10_000 + i * 10_000L, 15_000 + i * 10_000L, true);
        }
        for (int i = 1; i <= AcceptClock.DEPTH; i++) {
            clock.accepted(40009, 100_000 + i);
        }
        assertEquals(AcceptClock.DEPTH - 1, recorded.size(), "the first accept is the given-up connection's");
        assertEquals(new Recorded(100_002 - 25_000, true), recorded.getFirst(), "the second accept is the second connection's");
        // The last connect still waits for its accept; the given-up one is not a connect the sink never accepted.
        assertEquals(new AcceptPairing(1, 0, AcceptClock.DEPTH, 0, 1, AcceptClock.DEPTH), clock.pairing());
    }

    /**
     * A sink lagging a port's reuse by more than the FIFO (a few --bind-ports): every wait that is
     * recorded is its own connection's, however many were given up before it.
     */
    @Test
    void aSinkLaggingBeyondTheDepthRecordsOnlyWaitsOfTheirOwnConnections() {
        int n = 3 * AcceptClock.DEPTH;
        for (int i = 0; i < n; i++) {
            clock.connected(40014, 10_000 + i * 10_000L, 15_000 + i * 10_000L, true);
        }
        for (int i = 0; i < n; i++) {
            clock.accepted(40014, 1_000_000 + i * 10_000L);
        }
        // Connection i waited 1,000,000 + i*10,000 - (15,000 + i*10,000) = 985,000 ns, every one.
        assertEquals(AcceptClock.DEPTH, recorded.size());
        for (Recorded r : recorded) {
            assertEquals(new Recorded(985_000, true), r);
        }
        assertEquals(new AcceptPairing(0, 0, n - 1, 0, n - AcceptClock.DEPTH, AcceptClock.DEPTH), clock.pairing());
        // The port is in step again: a connect and its accept pair at once.
        clock.connected(40014, 2_000_000, 2_005_000, true);
        clock.accepted(40014, 2_007_000);
        assertEquals(new Recorded(2_000, true), recorded.getLast());
    }

    /**
     * With --bind-ports the FIFOs' budget goes to the range's ports: two ports hold 1,024 uses each
     * before their accept, and a port outside the range has no FIFO (counted, never paired).
     */
    @Test
    void aBoundRangeGetsTheWholeBudgetOverItsPorts() {
        AcceptClock c = new AcceptClock(1_000, STALE, (n, m) -> recorded.add(new Recorded(n, m)), new PortRange(20000, 20001));
        c.measuredFrom(1_000);
        int n = 3 * AcceptClock.DEPTH;
        for (int i = 0; i < n; i++) {
            c.connected(20000 + i % 2, 10_000 + i * 10_000L, 15_000 + i * 10_000L, true);
        }
        for (int i = 0; i < n; i++) {
            c.accepted(20000 + i % 2, 1_000_000 + i * 10_000L);
        }
        assertEquals(n, recorded.size(), "every connection paired");
        assertTrue(recorded.stream().allMatch(r -> r.nanos() == 985_000), recorded::toString);
        c.connected(30000, 2_000_000, 2_005_000, true);
        c.accepted(30001, 2_007_000);
        assertEquals(new AcceptPairing(1, 1, n - 2, 0, 0, AcceptClock.MAX_DEPTH), c.pairing());
    }

    /** Counts are the measured part's: a warm-up connect left unpaired is not one; posts still waiting are. */
    @Test
    void pairingCountsTheMeasuredPartsPostsStillWaiting() {
        AcceptClock c = new AcceptClock(1_000, STALE, (n, m) -> recorded.add(new Recorded(n, m)));
        c.connected(40010, 10_000, 15_000, false); // warm-up, never accepted
        c.accepted(40011, 20_000); // a warm-up accept without its connect
        c.measuredFrom(50_000);
        c.connected(40012, 60_000, 65_000, true); // measured, not accepted yet
        c.accepted(40013, 70_000); // measured, its client never posted
        assertEquals(new AcceptPairing(1, 1, 0, 0, 0, AcceptClock.DEPTH), c.pairing());
    }

    /**
     * Client and sink threads post concurrently on ports they share: a client runs up to two rounds
     * ahead of its sink (each port reused before its accept), a sink up to one ahead of its client
     * (accepts before connect returns), in whatever interleaving the scheduler makes. Every
     * connection is paired exactly once and nothing is left over.
     */
    @Test
    void concurrentPostersPairEveryConnectionOnce() throws InterruptedException {
        LongAdder pairs = new LongAdder();
        AcceptClock c = new AcceptClock(0, STALE, (n, m) -> pairs.increment());
        c.measuredFrom(0);
        int pairsOfThreads = 2;
        int portsEach = 32;
        int rounds = 2_000;
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < pairsOfThreads; t++) {
            int first = 30_000 + t * portsEach;
            AtomicInteger clientDone = new AtomicInteger();
            AtomicInteger sinkDone = new AtomicInteger();
            threads.add(Thread.ofPlatform().start(() -> {
                for (int k = 1; k <= rounds; k++) {
                    awaitAtLeast(sinkDone, k - 2, deadline);
                    for (int p = first; p < first + portsEach; p++) {
                        c.connected(p, k * 10L + 1, k * 10L + 2, true);
                    }
                    clientDone.set(k);
                }
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                for (int k = 1; k <= rounds; k++) {
                    awaitAtLeast(clientDone, k - 1, deadline);
                    for (int p = first; p < first + portsEach; p++) {
                        c.accepted(p, k * 10L + 5);
                    }
                    sinkDone.set(k);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        assertTrue(System.nanoTime() - deadline < 0, "the posters did not finish in 10 s");
        assertEquals((long) pairsOfThreads * portsEach * rounds, pairs.sum());
        AcceptPairing p = c.pairing();
        assertTrue(p.complete(), p::toString);
    }

    private static void awaitAtLeast(AtomicInteger progress, int round, long deadline) {
        // Yield, not spin: four threads on two cores, each waiting for another to run.
        while (progress.get() < round && System.nanoTime() - deadline < 0) {
            Thread.yield();
        }
    }

    /**
     * Per connection the wait lies inside the cycle, after connect() returned: when the client
     * waits for the server's FIN (closer server), accept + connect <= cycle for every cycle, so
     * the means obey it too (HdrHistogram rounds to 3 digits: 0.2% slack).
     */
    @Test
    void theWaitFitsInsideTheCycleAfterTheConnect() throws IOException {
        RunResult r = new ChurnEngine(Specs.count(TransportKind.NIO, Closer.SERVER, 4, 2000)).run(RunListener.NONE);
        Histogram accept = r.phases().get(Phase.ACCEPT);
        Histogram connect = r.phases().get(Phase.CONNECT);
        Histogram cycle = r.phases().get(Phase.CYCLE);
        assertEquals(2000, accept.getTotalCount());
        assertTrue(accept.getMean() + connect.getMean() <= cycle.getMean() * 1.002,
                "accept " + accept.getMean() + " + connect " + connect.getMean() + " > cycle " + cycle.getMean());
        assertTrue(accept.getMaxValue() <= cycle.getMaxValue() * 1.002, "accept max beyond cycle max");
    }
}
