package dev.churn.bench.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A password given the way openssl's {@code -passin} takes one, so that it need not stand on a
 * command line where {@code ps} shows it: {@code pass:TEXT}, {@code env:VAR} (an environment
 * variable) or {@code file:PATH} (the file's first line). Errors never repeat the text given: it
 * may be the password itself.
 */
public final class PasswordSource {

    private PasswordSource() {
    }

    /** The file a {@code file:PATH} spec reads, or null for any other spec (or none). */
    public static Path fileOf(String spec) {
        return spec != null && spec.startsWith("file:") && spec.length() > 5 ? Path.of(spec.substring(5)) : null;
    }

    /** The password {@code spec} names, for {@code option}; one line of IllegalArgumentException when it names none. */
    public static char[] read(String option, String spec) {
        if (spec.startsWith("pass:")) {
            return spec.substring(5).toCharArray();
        }
        if (spec.startsWith("env:")) {
            String name = spec.substring(4);
            String value = name.isEmpty() ? null : System.getenv(name);
            if (value == null) {
                throw new IllegalArgumentException(option + ": the environment variable '" + name + "' is not set");
            }
            return value.toCharArray();
        }
        if (spec.startsWith("file:")) {
            Path file = Path.of(spec.substring(5));
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return lines.isEmpty() ? new char[0] : lines.getFirst().toCharArray();
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(option + ": " + file + ": no such file");
            } catch (IOException e) {
                throw new IllegalArgumentException(option + ": " + file + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(option + " takes pass:TEXT, env:VAR or file:PATH (as openssl's -passin)");
    }
}
