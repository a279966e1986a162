package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.Tick;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CompositeListenerTest {

    @Test
    void everyListenerHearsTheRehearsalEvenAfterOneThrows() {
        // Without it a cold run's results writer would never compile its encoding before the run.
        List<String> heard = new CopyOnWriteArrayList<>();
        RunListener failing = new RunListener() {
            @Override
            public void rehearse(Tick t) {
                heard.add("first");
                throw new IllegalStateException("boom");
            }
        };
        RunListener second = new RunListener() {
            @Override
            public void rehearse(Tick t) {
                heard.add("second");
            }
        };
        CompositeListener all = new CompositeListener(failing, second);
        all.rehearse(new Tick(true, 0, 0, Map.of(), 0, 0, 0, 0));
        assertEquals(List.of("first", "second"), heard);
        assertSame(IllegalStateException.class, all.failure().getClass());
    }
}
