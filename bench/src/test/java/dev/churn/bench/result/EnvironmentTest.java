package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void capturesThisMachine() {
        Environment e = Environment.capture();
        assertTrue(e.kernelRelease().matches("\\d+\\.\\d+.*"), e.kernelRelease());
        assertEquals(Runtime.getRuntime().availableProcessors(), e.cpus());
        assertTrue(e.jdkVersion().startsWith(Integer.toString(Runtime.version().feature())), e.jdkVersion());
        assertFalse(e.hostname().isBlank());
        assertTrue(e.sysctls().get("net.core.somaxconn").matches("\\d+"), e.sysctls().toString());
    }
}
