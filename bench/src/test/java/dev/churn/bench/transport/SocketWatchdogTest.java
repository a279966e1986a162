package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How often the watchdog looks: often enough to end a call near its deadline, no more. */
class SocketWatchdogTest {

    @Test
    void itScansFiftyTimesATimeoutBetweenOneAndOneHundredMilliseconds() {
        assertEquals(100_000_000L, SocketWatchdog.scanNanos(Duration.ofSeconds(5)), "the default timeout: ten a second");
        assertEquals(3_000_000L, SocketWatchdog.scanNanos(Duration.ofMillis(150)));
        assertEquals(1_000_000L, SocketWatchdog.scanNanos(Duration.ofMillis(10)), "never a busy loop");
        assertEquals(100_000_000L, SocketWatchdog.scanNanos(Duration.ofHours(1)), "a long timeout still ends within 100 ms of it");
    }
}
