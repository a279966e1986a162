package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What the recorder does with values its histograms cannot hold: clamped, and the ones above counted. */
class PhaseRecorderTest {

    @Test
    void latenciesAboveTheCeilingAreRecordedAtItAndCounted() {
        PhaseRecorder r = new PhaseRecorder();
        r.record(Phase.FIRST_BYTE, PhaseRecorder.HIGHEST_NANOS + 1);
        r.record(Phase.FIRST_BYTE, Long.MAX_VALUE);
        r.record(Phase.FIRST_BYTE, PhaseRecorder.HIGHEST_NANOS); // at the ceiling: held, not over it
        r.record(Phase.CYCLE, 5_000);
        r.record(Phase.CYCLE, -3); // before its start: a zero, as accept wait's are, and not "above"

        assertEquals(Map.of(Phase.FIRST_BYTE, 2L), r.overCeiling());
        Histogram first = r.interval(Phase.FIRST_BYTE);
        assertEquals(3, first.getTotalCount());
        assertEquals(true, first.valuesAreEquivalent(PhaseRecorder.HIGHEST_NANOS, first.getMaxValue()), "at the ceiling");
        Histogram cycle = r.interval(Phase.CYCLE);
        assertEquals(0, cycle.getMinValue());
        assertEquals(2, cycle.getTotalCount());

        r.reset(); // the warm-up's end: the measured part counts its own
        assertEquals(Map.of(), r.overCeiling());
    }
}
