package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dchurn.sink.blocking=true}: a run with one connection in flight is served by the blocking
 * sink, every phase still recorded and every accept paired; a run with more in flight is not.
 */
class BlockingSinkRunTest {

    @Test
    void oneConnectionInFlightIsServedInBlockingCallsAndMeasuredWhole() throws Exception {
        String before = System.getProperty(ChurnEngine.BLOCKING_SINK_PROPERTY);
        System.setProperty(ChurnEngine.BLOCKING_SINK_PROPERTY, "true");
        try {
            RunSpec crr = Specs.withPayload(Specs.count(TransportKind.RAW, Closer.CLIENT, 1, 500), 1, 1);
            assertTrue(ChurnEngine.blockingSink(crr));
            RunResult r = new ChurnEngine(crr).run(RunListener.NONE);
            assertEquals(500, r.completed(), () -> r.failures().toString());
            assertEquals(500, r.phases().get(Phase.FIRST_BYTE).getTotalCount());
            assertEquals(500, r.phases().get(Phase.ACCEPT).getTotalCount(), "every accept paired by client port");
            assertEquals(0, r.acceptPairing().connectsWithoutAccept());

            RunSpec many = Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 4, 100);
            assertFalse(ChurnEngine.blockingSink(many), "four in flight would wait for each other's FIN");
        } finally {
            if (before == null) {
                System.clearProperty(ChurnEngine.BLOCKING_SINK_PROPERTY);
            } else {
                System.setProperty(ChurnEngine.BLOCKING_SINK_PROPERTY, before);
            }
        }
    }
}
