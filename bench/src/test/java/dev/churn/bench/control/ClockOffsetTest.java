package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClockOffsetTest {

    /** A server clock 5 ms ahead, 100 µs each way and 20 µs inside the server: the offset comes out exact. */
    @Test
    void symmetricDelaysGiveTheOffsetExactly() {
        long ahead = 5_000_000;
        long t0 = 1_000_000_000_000L;
        long t1 = t0 + 100_000 + ahead;
        long t2 = t1 + 20_000;
        long t3 = t2 - ahead + 100_000;
        ClockOffset c = ClockOffset.of(List.of(new ClockOffset.Sample(t0, t1, t2, t3)));
        assertEquals(ahead, c.offsetNanos());
        assertEquals(200_000, c.rttNanos());
        assertEquals(t0 + ahead, c.toServer(t0));
        assertEquals(t0, c.toClient(t0 + ahead));
    }

    /** A sample delayed one way (a descheduled thread) is off by half the delay; the shortest round trip wins. */
    @Test
    void theShortestRoundTripIsKept() {
        long t0 = 2_000_000_000_000L;
        ClockOffset.Sample late = new ClockOffset.Sample(t0, t0 + 3_000_000, t0 + 3_000_000, t0 + 3_100_000);
        ClockOffset.Sample good = new ClockOffset.Sample(t0, t0 + 50_000, t0 + 50_000, t0 + 100_000);
        ClockOffset c = ClockOffset.of(List.of(late, good, late));
        assertEquals(0, c.offsetNanos());
        assertEquals(100_000, c.rttNanos());
        assertEquals(3, c.samples());
    }
}
