package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Layers;
import dev.churn.bench.config.TransportKind;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Which way the built-in sink serves ({@link ChurnEngine#blockingSink}): in blocking calls for churn's
 * raw-descriptor clients (raw, epoll) that wait for each response with one connection in flight, an
 * epoll loop otherwise, and {@code -Dchurn.sink.blocking=true|false} forcing either where one
 * connection is in flight. A run served the blocking way still records every phase and pairs every
 * accept.
 */
class BlockingSinkRunTest {

    private static final RunSpec RAW_CRR = Specs.withPayload(Specs.count(TransportKind.RAW, Closer.CLIENT, 1, 500), 1, 1);

    @Test
    void aRawClientThatWaitsForEachResponseIsServedInBlockingCallsAndMeasuredWhole() throws Exception {
        withProperty(null, () -> {
            assertTrue(ChurnEngine.blockingSink(RAW_CRR));
            RunResult r = run(RAW_CRR);
            assertEquals(500, r.completed(), () -> r.failures().toString());
            assertEquals(500, r.phases().get(Phase.FIRST_BYTE).getTotalCount());
            assertEquals(500, r.phases().get(Phase.ACCEPT).getTotalCount(), "every accept paired by client port");
            assertEquals(0, r.acceptPairing().connectsWithoutAccept());

            RunSpec http = withHttp(Specs.count(TransportKind.EPOLL, Closer.CLIENT, 1, 200));
            assertTrue(ChurnEngine.blockingSink(http));
            RunResult h = run(http);
            assertEquals(200, h.completed(), () -> h.failures().toString());
            assertEquals(200, h.phases().get(Phase.FIRST_BYTE).getTotalCount(), "every response's status line timed");
            assertEquals(200, h.phases().get(Phase.ACCEPT).getTotalCount(), "every accept paired by client port");
            return null;
        });
    }

    @Test
    void everyOtherShapeIsServedByTheLoopUnlessTheDiagnosticForcesIt() {
        withProperty(null, () -> {
            assertFalse(ChurnEngine.blockingSink(Specs.count(TransportKind.RAW, Closer.CLIENT, 1, 100)),
                    "no response: the client never waits for the sink, and the loop was the faster");
            assertFalse(ChurnEngine.blockingSink(Specs.withPayload(Specs.count(TransportKind.RAW, Closer.CLIENT, 1, 100), 1, 0)),
                    "a request and no response: the client does not wait either");
            assertTrue(ChurnEngine.blockingSink(Specs.withPayload(Specs.count(TransportKind.EPOLL, Closer.CLIENT, 1, 100), 1, 1)),
                    "epoll, churn's other raw-descriptor client, waits for the sink just as raw does");
            assertTrue(ChurnEngine.blockingSink(withHttp(Specs.count(TransportKind.EPOLL, Closer.CLIENT, 1, 100))),
                    "an HTTP request waits for its response");
            assertFalse(ChurnEngine.blockingSink(Specs.withPayload(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 1, 100), 1, 1)),
                    "the JDK's client: even or slower with the blocking sink");
            assertFalse(ChurnEngine.blockingSink(Specs.withPayload(Specs.count(TransportKind.NIO, Closer.CLIENT, 1, 100), 1, 1)),
                    "the JDK's client: even or slower with the blocking sink");
            assertFalse(ChurnEngine.blockingSink(Specs.withPayload(Specs.count(TransportKind.RAW, Closer.CLIENT, 4, 100), 1, 1)),
                    "four in flight would wait for each other's FIN");
            return null;
        });
        withProperty("false", () -> {
            assertFalse(ChurnEngine.blockingSink(RAW_CRR), "=false keeps the loop, to measure it");
            return null;
        });
        withProperty("true", () -> {
            assertTrue(ChurnEngine.blockingSink(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 1, 100)));
            assertFalse(ChurnEngine.blockingSink(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 4, 100)),
                    "not even forced: four in flight would wait for each other's FIN");
            return null;
        });
    }

    private static RunSpec withHttp(RunSpec s) {
        return new RunSpec(s.transport(), s.socket(), s.closer(), s.load(), s.connections(), s.duration(), s.warmup(),
                s.requestBytes(), s.responseBytes(), s.target(), s.connectTimeout(), s.maxFailures(), s.threads(),
                new Layers(null, "/", null, null, null));
    }

    private static RunResult run(RunSpec spec) {
        try {
            return new ChurnEngine(spec).run(RunListener.NONE);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T withProperty(String value, Supplier<T> body) {
        String before = System.getProperty(ChurnEngine.BLOCKING_SINK_PROPERTY);
        set(value);
        try {
            return body.get();
        } finally {
            set(before);
        }
    }

    private static void set(String value) {
        if (value == null) {
            System.clearProperty(ChurnEngine.BLOCKING_SINK_PROPERTY);
        } else {
            System.setProperty(ChurnEngine.BLOCKING_SINK_PROPERTY, value);
        }
    }
}
