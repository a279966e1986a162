package dev.churn.bench.result;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * One run's results folder, {@code results/<yyyyMMdd-HHmmss>-<label>/} by default ({@link #create})
 * or a folder the user named ({@link #at}). Every file goes through {@link #open} or {@link #write}:
 * written under a temporary name and renamed into place when complete.
 */
public final class ResultsDirectory {

    /** Where runs go when the user names no folder. */
    public static final Path DEFAULT_ROOT = Path.of("results");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** Writes a text file's content. */
    @FunctionalInterface
    public interface TextBody {
        void writeTo(Writer w) throws IOException;
    }

    /** Writes a binary (or self-encoded) file's content. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path path;

    private ResultsDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates {@code <root>/<yyyyMMdd-HHmmss>-<label>} for a run started at this instant (local
     * time); a second run in the same second with the same label gets {@code -2}, {@code -3}, ...
     */
    public static ResultsDirectory create(Path root, String label, Instant startedAt) throws IOException {
        checkLabel(label);
        Files.createDirectories(root);
        String base = STAMP.format(startedAt.atZone(ZoneId.systemDefault())) + "-" + label;
        for (int n = 1; n <= 1000; n++) {
            Path dir = root.resolve(n == 1 ? base : base + "-" + n);
            try {
                return new ResultsDirectory(Files.createDirectory(dir));
            } catch (FileAlreadyExistsException taken) {
                // another run of the same label in the same second: try the next suffix
            }
        }
        throw new IOException("more than 1000 runs named " + base + " in " + root);
    }

    /**
     * Uses the folder the user named (--out), creating it if needed. A folder that already holds
     * a run's summary.json is refused, so two runs' files never mix.
     */
    public static ResultsDirectory at(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out: " + dir + " is a file, not a directory");
        }
        if (Files.exists(dir.resolve(SummaryJson.FILE))) {
            throw new IllegalArgumentException("--out: " + dir + " already holds a run (summary.json); name another directory");
        }
        return new ResultsDirectory(Files.createDirectories(dir));
    }

    /** Throws IllegalArgumentException unless the label is safe as part of a folder name. */
    public static String checkLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("--label: '" + label
                    + "' must be 1..100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return label;
    }

    /** The folder. */
    public Path path() {
        return path;
    }

    /** Starts writing a file of this name; commit it when complete, close it in any case. */
    public AtomicFile open(String name) throws IOException {
        if (name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return new AtomicFile(path.resolve(name));
    }

    /** Writes a whole UTF-8 text file at once, atomically; returns its path. */
    public Path write(String name, TextBody body) throws IOException {
        return writeStream(name, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.writeTo(w);
            w.flush();
        });
    }

    /** Writes a whole file at once, atomically; returns its path. */
    public Path writeStream(String name, StreamBody body) throws IOException {
        try (AtomicFile f = open(name)) {
            body.writeTo(f.stream());
            return f.commit();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
