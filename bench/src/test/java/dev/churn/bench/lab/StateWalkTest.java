package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.monitor.TcpState;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state walk on real loopback sockets: every listed state is seen and the kernel agrees with TCP. */
class StateWalkTest {

    @Test
    void everyListedStateIsObservedAndEveryStepMatches() throws Exception {
        List<Step> steps = new StateWalk().run();
        String diagram = SequenceDiagram.render(steps);

        Set<TcpState> seen = EnumSet.noneOf(TcpState.class);
        for (Step s : steps) {
            if (s.client() != null) {
                seen.add(s.client());
            }
            if (s.server() != null) {
                seen.add(s.server());
            }
        }
        assertEquals(EnumSet.copyOf(StateWalk.listedStates()), seen, diagram);
        assertTrue(steps.stream().allMatch(Step::matches), diagram);
        assertTrue(diagram.contains("CLOSING") && diagram.contains("SYN (dropped)"), diagram);
    }
}
