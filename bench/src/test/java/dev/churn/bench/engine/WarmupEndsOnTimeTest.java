package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.transport.Cycles;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The warm-up hands out no tickets past its time whether or not the reporter has ended it: the
 * reporter can be held (its log writes take the JDK Cleaner's lock, which 5,000 virtual threads
 * queued on kept it from ending a 1 s warm-up for minutes), and the workers must not churn on.
 */
class WarmupEndsOnTimeTest {

    @Test
    void theWarmupStopsHandingOutTicketsAtItsTimeWithoutTheReporter() throws InterruptedException {
        RunControl c = new RunControl(Specs.withWarmup(Specs.count(TransportKind.VIRTUAL, Closer.CLIENT, 2, 10),
                Duration.ofMillis(300)), System.nanoTime());
        c.begin(System.nanoTime());
        Cycles warm = c.warmupCycles();
        assertNotNull(warm.next(), "a ticket while the warm-up lasts");
        Thread.sleep(400);
        // endWarmup() never called: the reporter is held elsewhere.
        assertNull(warm.next(), "no warm-up ticket past the warm-up's time");
        c.beginMeasured(System.nanoTime());
        assertNotNull(c.measuredCycles().next(), "the measured part hands out its tickets");
    }
}
