package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CleanPortTest {

    @Test
    void aPortWithOnlyOurListenerIsCleanAndOneWithStrangersIsNot() throws Exception {
        try (KnownSockets k = KnownSockets.ipv4(0, 0, 2)) {
            assertTrue(CleanPort.isClean(k.port(), 3), "LISTEN plus 2 TIME_WAIT are 3 sockets");
            assertFalse(CleanPort.isClean(k.port(), 1), "2 TIME_WAIT sockets on the port are strangers to a new listener");
        }
    }
}
