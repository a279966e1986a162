package dev.churn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Run options that name a file compare passes to each of its runs, read once when the file is a pipe: compare parses its
 * run options once per configuration and once per run, and a `--truststore <(...)` was empty from the second reading on
 * (review, 2026-12-06). Such a file's content goes into a private temporary file, deleted when the JVM ends. A pipe that
 * nothing writes to yet is said after a moment, as run and serve say it ({@link PipeWait}).
 */
final class ReadOnce {

    /** The run options whose value is a file churn reads. */
    static final Set<String> FILE_OPTIONS = Set.of("--truststore", "--cert", "--key");

    private ReadOnce() {}

    /** {@code args} with each such option's pipe replaced by a regular file holding what the pipe gave. */
    static List<String> pipesToFiles(List<String> args, PrintWriter err, String command) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            String a = out.get(i);
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            if (!FILE_OPTIONS.contains(name)) {
                continue;
            }
            if (eq > 0) {
                out.set(i, name + "=" + copied(a.substring(eq + 1), err, command));
            } else if (i + 1 < out.size()) {
                out.set(i + 1, copied(out.get(i + 1), err, command));
                i++;
            }
        }
        return out;
    }

    // The value itself unless it names a pipe (or another file that is not regular, which a second reading may not see).
    private static String copied(String value, PrintWriter err, String command) {
        Path p = Path.of(value);
        if (value.isBlank() || !Files.exists(p) || Files.isRegularFile(p) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return value; // the run's own checks say what is wrong with it
        }
        try {
            // Opening a pipe waits for its writer: compare said nothing meanwhile (left alone 2026-12-06, done 12-07).
            byte[] content = PipeWait.reading(err, command, () -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, p);
            Path copy = Files.createTempFile("churn-compare-", ".read-once",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            copy.toFile().deleteOnExit();
            Files.write(copy, content);
            return copy.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
