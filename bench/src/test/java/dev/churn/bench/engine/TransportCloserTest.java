package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transport plays every close choreography against the built-in sink, with and without payload. */
class TransportCloserTest {

    private static final int CONNECTIONS = 300;

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (TransportKind t : TransportKind.values()) {
            for (Closer c : Closer.values()) {
                out.add(Arguments.of(t, c, 0, 0));
                out.add(Arguments.of(t, c, 16, 100));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} request={2} response={3}")
    @MethodSource("combinations")
    void completesWithoutFailuresAndCountsEveryPhase(TransportKind t, Closer c, int request, int response) throws IOException {
        RunSpec spec = Specs.withPayload(Specs.count(t, c, 4, CONNECTIONS), request, response);
        RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
        assertEquals(Map.of(), r.failures(), "failures");
        assertResult(r, response > 0);
        assertEquals(List.of(), liveEngineThreads(), "threads the run left behind");
    }

    /** Platform threads the engine or its sink started ("churn-..."), still alive. */
    static List<String> liveEngineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("churn-"))
                .map(Thread::getName)
                .toList();
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @MethodSource("transports")
    void worksOverIpv6(TransportKind t) throws IOException {
        RunSpec spec = Specs.withSocket(Specs.count(t, Closer.HALF, 3, 100), SocketConfig.DEFAULTS.withIpv6(true));
        RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
        assertEquals(Map.of(), r.failures(), "failures");
        assertEquals("/0:0:0:0:0:0:0:1", r.info().target().getAddress().toString());
        assertEquals(100, r.completed());
    }

    @ParameterizedTest(name = "concurrency 1 {0}")
    @MethodSource("transports")
    void servesOneClientAtATime(TransportKind t) throws IOException {
        RunResult r = new ChurnEngine(Specs.withPayload(Specs.count(t, Closer.CLIENT, 1, 200), 1, 1)).run(RunListener.NONE);
        assertEquals(Map.of(), r.failures(), "failures");
        assertEquals(200, r.completed());
        assertEquals(200, r.phases().get(Phase.ACCEPT).getTotalCount());
    }

    /**
     * A response with no request: first_byte runs from the handshake's end, and is never longer than the cycle. epoll's
     * connects that completed at once left its start at 0, and every first_byte read as the machine's uptime, clamped
     * to one hour (QA, 2026-12-06: 3,601,330,077.7 µs against a cycle max of 28,819 µs).
     */
    @ParameterizedTest(name = "response only {0}")
    @MethodSource("transports")
    void aResponseWithoutARequestTimesItsFirstByteWithinTheCycle(TransportKind t) throws IOException {
        RunResult r = new ChurnEngine(Specs.withPayload(Specs.count(t, Closer.CLIENT, 4, 200), 0, 100)).run(RunListener.NONE);
        assertEquals(Map.of(), r.failures(), "failures");
        assertEquals(200, r.phases().get(Phase.FIRST_BYTE).getTotalCount());
        long firstByteMax = r.phases().get(Phase.FIRST_BYTE).getMaxValue();
        long cycleMax = r.phases().get(Phase.CYCLE).getMaxValue();
        assertTrue(firstByteMax <= cycleMax, "first_byte max " + firstByteMax + " ns, cycle max " + cycleMax + " ns");
    }

    static Stream<TransportKind> transports() {
        return Stream.of(TransportKind.values());
    }

    static void assertResult(RunResult r, boolean firstByte) {
        long n = r.info().spec().connections();
        assertEquals(RunResult.EndReason.COUNT_REACHED, r.endReason());
        assertEquals(n, r.attempted());
        assertEquals(n, r.completed());
        assertEquals(0, r.failed());
        assertEquals(n, r.phases().get(Phase.CONNECT).getTotalCount(), "connect count");
        assertEquals(n, r.phases().get(Phase.CLOSE).getTotalCount(), "close count");
        assertEquals(n, r.phases().get(Phase.CYCLE).getTotalCount(), "cycle count");
        assertEquals(firstByte ? n : 0, r.phases().get(Phase.FIRST_BYTE).getTotalCount(), "first byte count");
        assertEquals(n, r.phases().get(Phase.ACCEPT).getTotalCount(), "accept count");
    }
}
