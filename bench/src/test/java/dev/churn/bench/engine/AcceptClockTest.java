package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * ACCEPT is the accept-queue wait: from the client's connect() return to the sink's accept()
 * return, recorded in the part of the run the client's cycle belongs to.
 */
class AcceptClockTest {

    private record Recorded(long nanos, boolean measured) {}

    private final List<Recorded> recorded = new ArrayList<>();
    private final AcceptClock clock = new AcceptClock(1_000, (n, m) -> recorded.add(new Recorded(n, m)));

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
    void aLeftoverOfAnEarlierConnectionIsNotPaired() {
        clock.accepted(40002, 5_000); // before this client's connect even started: someone else's
        clock.connected(40002, 10_000, 15_000, true);
        assertTrue(recorded.isEmpty(), recorded::toString);
        clock.accepted(40002, 20_000);
        assertEquals(List.of(new Recorded(5_000, true)), recorded);
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
