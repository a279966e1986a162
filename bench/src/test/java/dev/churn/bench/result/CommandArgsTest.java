package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line summary.json records: as given, but no password option's value, in either form. */
class CommandArgsTest {

    @Test
    void aPasswordOptionsValueIsHiddenInBothForms() {
        assertEquals(List.of("run", "--tls", "--key-password", "***", "--truststore-password=***", "--label", "pass:x"),
                CommandArgs.recorded(List.of("run", "--tls", "--key-password", "pass:hunter2",
                        "--truststore-password=pass:hunter2", "--label", "pass:x")));
    }

    @Test
    void everythingElseIsKeptAsGiven() {
        List<String> args = List.of("run", "--duration", "5s", "--linger", "0", "--", "--key");
        assertEquals(args, CommandArgs.recorded(args));
        assertEquals(List.of("run", "--key-password"), CommandArgs.recorded(List.of("run", "--key-password")));
    }
}
