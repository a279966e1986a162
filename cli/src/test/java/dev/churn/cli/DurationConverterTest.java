package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({
        "100ns, 100",
        "250us, 250000",
        "250µs, 250000",
        "200ms, 200000000",
        "1s, 1000000000",
        "1.5s, 1500000000",
        ".5s, 500000000",
        "2m, 120000000000",
        "1h, 3600000000000",
        "' 3S ', 3000000000",
        "5m20s, 320000000000",
        "1h30m, 5400000000000",
        "'1m 0.5s', 60500000000",
        "1s500ms, 1500000000"
    })
    void readsNumbersWithUnits(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), DurationConverter.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0s | '0s' must be positive, e.g. 200ms or 1s",
        "0.1ns | '0.1ns' must be positive, e.g. 200ms or 1s",
        "-1s | '-1s' must be positive, e.g. 200ms or 1s",
        "5 | '5' needs a unit (ns, us, ms, s, m, h), e.g. 200ms or 1s",
        "5parsecs | '5parsecs' is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. 200ms or 1s",
        "ms | 'ms' is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. 200ms or 1s",
        "5m20 | '5m20' is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. 200ms or 1s"
    })
    void refusesWhatIsNotAPositiveDuration(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse(text)).getMessage());
    }

    @Test
    void formatsWhatUsersWouldType() {
        assertEquals("200ms", DurationConverter.format(Duration.ofMillis(200)));
        assertEquals("1s", DurationConverter.format(Duration.ofSeconds(1)));
        assertEquals("1.5s", DurationConverter.format(Duration.ofMillis(1500)));
        assertEquals("2m", DurationConverter.format(Duration.ofMinutes(2)));
        assertEquals("250us", DurationConverter.format(Duration.ofNanos(250_000)));
    }

    @Test
    void portsOutsideTheRangeAreRefused() {
        assertEquals(443, PortConverter.parse("443"));
        assertEquals("'70000' is outside 1..65535",
                assertThrows(IllegalArgumentException.class, () -> PortConverter.parse("70000")).getMessage());
        assertEquals("'0' is outside 1..65535",
                assertThrows(IllegalArgumentException.class, () -> PortConverter.parse("0")).getMessage());
        assertEquals("'http' is not a port: use a number in 1..65535",
                assertThrows(IllegalArgumentException.class, () -> PortConverter.parse("http")).getMessage());
    }

    @Test
    void nonNegativeAcceptsZeroForWarmupButStillRejectsNonsense() {
        DurationConverter.NonNegative c = new DurationConverter.NonNegative();
        assertEquals(Duration.ZERO, c.convert("0"));
        assertEquals(Duration.ZERO, c.convert("0s"));
        assertEquals(Duration.ZERO, c.convert("0.0ms"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
        Exception e = assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("-1s"));
        assertEquals("'-1s' must be 0 or more, e.g. 200ms or 1s", e.getMessage());
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("5parsecs"));
    }
}
