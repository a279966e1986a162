package dev.churn.bench.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** openssl's -passin forms, and refusals that never repeat what was given. */
class PasswordSourceTest {

    @TempDir
    Path tmp;

    private static String refusal(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> PasswordSource.read("--opt", spec)).getMessage();
    }

    @Test
    void passTakesTheTextAsItIs() {
        assertArrayEquals("s3:cret ".toCharArray(), PasswordSource.read("--opt", "pass:s3:cret "));
        assertArrayEquals(new char[0], PasswordSource.read("--opt", "pass:"));
    }

    @Test
    void envReadsAVariableAndNamesOneThatIsNotSet() {
        // A variable this JVM certainly has; the test cannot set one of its own.
        Map.Entry<String, String> any = System.getenv().entrySet().iterator().next();
        assertArrayEquals(any.getValue().toCharArray(), PasswordSource.read("--opt", "env:" + any.getKey()));
        String unset = "CHURN_TEST_NOT_SET_" + System.nanoTime();
        assertEquals("--opt: the environment variable '" + unset + "' is not set", refusal("env:" + unset));
    }

    @Test
    void fileReadsTheFirstLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "first line\nsecond\n");
        assertArrayEquals("first line".toCharArray(), PasswordSource.read("--opt", "file:" + f));
        assertArrayEquals(new char[0], PasswordSource.read("--opt", "file:" + Files.writeString(tmp.resolve("empty"), "")));
        assertEquals("--opt: " + tmp.resolve("none") + ": no such file", refusal("file:" + tmp.resolve("none")));
    }

    @Test
    void aBarePasswordIsRefusedWithoutRepeatingIt() {
        String m = refusal("hunter2");
        assertEquals("--opt takes pass:TEXT, env:VAR or file:PATH (as openssl's -passin)", m);
        assertFalse(m.contains("hunter2"), m);
    }
}
