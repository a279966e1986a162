package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunProgressTest {

    @Test
    void messageShowsRateP99TimeWaitAndFailures() {
        assertEquals("1,235/s p99 743µs TIME_WAIT 12,000", RunProgress.message(false, 1234.6, 743.2, 12000, 0));
        assertEquals("warm-up 10/s p99 9.9ms TIME_WAIT 5 failed 3", RunProgress.message(true, 10, 9904, 5, 3));
        assertEquals("0/s", RunProgress.message(false, 0, -1, -1, 0), "unknown p99 and TIME_WAIT are left out");
    }
}
