package dev.churn.bench.result;

import dev.churn.bench.engine.Phase;
import dev.churn.bench.http.Printable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run's results folder, {@code results/<yyyyMMdd-HHmmss>-<label>/} by default ({@link #create})
 * or a folder the user named ({@link #at}). Every file goes through {@link #open} or {@link #write}:
 * written under an unpredictable temporary name and renamed into place when complete
 * ({@link AtomicFile}); an existing file is replaced only in a folder opened with --force.
 */
public final class ResultsDirectory {

    /** Where runs go when the user names no folder. */
    public static final Path DEFAULT_ROOT = Path.of("results");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    // A states file's host is a label (a merge's, or a session client's, with its -N): "states-.+" took any name, a NUL
    // byte, an ESC or a right-to-left override from a remote client included (QA, 2026-12-06).
    // join.json is a joined run's record of its session (control.JoinRecord): left behind by --force, it named a session
    // the new run beside it never joined (review, 2026-12-07).
    private static final Pattern OURS = Pattern.compile("summary\\.json|latency\\.hlog|join\\.json"
            + "|states(-[A-Za-z0-9][A-Za-z0-9._-]{0,119})?\\.csv|comparison\\.json"
            + "|report\\.html|(" + String.join("|", Stream.of(Phase.values()).map(Phase::label).toList()) + ")\\.hgrm");

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
    private final boolean replace;
    /** Whether churn made the folder (and so may remove it again if nothing could be saved in it). */
    private final boolean created;
    /** The results root ({@code ./results}) when this run made it, or null: removed again if it is left empty. */
    private Path madeRoot;

    /**
     * What {@link #reserveForSummary} holds: as much as a run's summary.json takes several times over (8-15 KB), and
     * its states.csv for a run of a minute or so.
     */
    public static final int SUMMARY_RESERVE_BYTES = 64 * 1024;
    /** The space held for the end-of-run files while the run's log grows, or null. */
    private AtomicFile reserve;

    private ResultsDirectory(Path path, boolean replace, boolean created) {
        this.path = path;
        this.replace = replace;
        this.created = created;
    }

    /**
     * Creates {@code <root>/<yyyyMMdd-HHmmss>-<label>} for a run started at this instant (local
     * time); a second run in the same second with the same label gets {@code -2}, {@code -3}, ...
     */
    public static ResultsDirectory create(Path root, String label, Instant startedAt) throws IOException {
        checkLabel(label);
        boolean rootMade = !Files.isDirectory(root);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IOException("cannot create results folder " + root + ": " + WriteFailure.reason(e), e);
        }
        String base = STAMP.format(startedAt.atZone(ZoneId.systemDefault())) + "-" + label;
        int remade = 0;
        for (int n = 1; n <= 1000; n++) {
            Path dir = root.resolve(n == 1 ? base : base + "-" + n);
            try {
                ResultsDirectory made = new ResultsDirectory(Files.createDirectory(dir), false, true);
                made.madeRoot = rootMade ? root : null;
                return made;
            } catch (FileAlreadyExistsException taken) {
                // another run of the same label in the same second: try the next suffix
            } catch (NoSuchFileException gone) {
                // Another run that saved nothing removed the root it had made, empty, in between (removeIfEmpty):
                // made again, and this name tried again (review, 2026-12-06); a root that keeps vanishing is an error.
                if (++remade > 10) {
                    throw new IOException("cannot create results folder " + dir + ": " + root + " keeps disappearing", gone);
                }
                try {
                    Files.createDirectories(root);
                } catch (IOException e) {
                    throw new IOException("cannot create results folder " + root + ": " + WriteFailure.reason(e), e);
                }
                n--;
            } catch (IOException e) {
                throw new IOException("cannot create results folder " + dir + ": " + WriteFailure.reason(e), e);
            }
        }
        throw new IOException("more than 1000 runs named " + base + " in " + root);
    }

    /** {@link #at(Path, boolean)} without --force. */
    public static ResultsDirectory at(Path dir) throws IOException {
        return at(dir, false);
    }

    /**
     * Uses the folder the user named (--out), creating it if needed; IllegalArgumentException (one
     * line) for a path {@link OutputPath} refuses, a folder that cannot be created or written, or
     * one that already holds churn's files ({@link #isResultsFile}), so two runs' files never mix.
     * With {@code force} those files are removed first, and the new ones replace any that reappear.
     */
    public static ResultsDirectory at(Path dir, boolean force) throws IOException {
        OutputPath.checkFolder(dir);
        boolean existed = Files.isDirectory(dir);
        if (existed) {
            List<Path> ours;
            try (Stream<Path> s = Files.list(dir)) {
                ours = s.filter(p -> isResultsFile(p.getFileName().toString()) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted().toList();
            }
            String writer = runWritingIn(dir);
            if (writer != null) {
                // Two runs given one --out each wrote their summary only at the end, and the second lost its run to
                // the first's files (QA, 2026-12-06). --force cannot help: the two would still mix.
                throw new IllegalArgumentException("--out: " + dir + " is being written by another churn run (" + writer
                        + " is held); name another folder");
            }
            if (!ours.isEmpty() && !force) {
                throw new IllegalArgumentException("--out: " + dir + " already holds "
                        + String.join(", ", ours.stream().map(p -> p.getFileName().toString()).toList())
                        + "; name another folder, or add --force to replace them");
            }
            // What a killed run left (no process holds them): its partial latency log is all that is left of what it
            // measured. A run given the folder again wrote beside them, and report showed only the new run (QA,
            // 2026-12-07), so they count as churn's files: refused without --force, removed with it.
            List<Path> leftovers = leftTemporaries(dir);
            if (!leftovers.isEmpty() && !force) {
                throw new IllegalArgumentException("--out: " + UnfinishedRun.describe(dir)
                        + "; name another folder, or add --force to replace them");
            }
            for (Path p : ours) {
                Files.delete(p); // --force: the folder will hold the new files only, never a mix of two
            }
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
        ResultsDirectory d = new ResultsDirectory(OutputPath.createFolder(dir), force, !existed);
        OutputPath.checkWritable(d.path);
        return d;
    }

    // The temporary files of churn's in the folder that no process holds: what a run that never finished left.
    private static List<Path> leftTemporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> AtomicFile.targetOf(p) != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && !AtomicFile.inUse(p)).sorted().toList();
        }
    }

    // The reserved summary of a run writing in the folder (reserveForSummary locks it), or null.
    private static String runWritingIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> SummaryJson.FILE.equals(AtomicFile.targetOf(p)) && AtomicFile.inUse(p))
                    .map(p -> p.getFileName().toString()).findFirst().orElse(null);
        }
    }

    /**
     * True for the names churn writes into a results folder: {@code summary.json},
     * {@code latency.hlog}, {@code states.csv}, {@code states-<host>.csv}, {@code <phase>.hgrm},
     * {@code comparison.json}, {@code report.html} and a joined run's {@code join.json}.
     */
    public static boolean isResultsFile(String name) {
        return OURS.matcher(name).matches();
    }

    /** Throws IllegalArgumentException unless the label is safe as part of a folder name. */
    public static String checkLabel(String label) {
        return checkLabel(label, 100);
    }

    /**
     * As {@link #checkLabel(String)}, for a command whose folder adds to the label ({@code bench-LABEL}):
     * at most {@code max} characters, and the message says that limit, not the general one.
     */
    public static String checkLabel(String label, int max) {
        if (label == null || !LABEL.matcher(label).matches() || label.length() > max) {
            // Shown through Printable: a label may come from a remote client's hello (QA, 2026-12-06: terminal escapes,
            // a forged line, 60,000 characters).
            throw new IllegalArgumentException("--label: '" + Printable.clip(label) + "' must be 1.." + max
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return label;
    }

    /** True when {@code s} is a label {@link #checkLabel(String)} takes. */
    public static boolean isLabel(String s) {
        return s != null && LABEL.matcher(s).matches();
    }

    /** The folder. */
    public Path path() {
        return path;
    }

    /**
     * Removes the folder when churn made it and nothing is in it (a run that saved nothing), and the results root with
     * it when this run made that and it is left empty: a first run that could not reach its session left an empty
     * {@code ./results} behind (QA, 2026-12-06). A folder the user made is never removed.
     */
    public void removeIfEmpty() {
        if (created && removeEmpty(path) && madeRoot != null) {
            removeEmpty(madeRoot);
        }
    }

    private static boolean removeEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try {
            Files.delete(dir);
            return true;
        } catch (IOException e) {
            return false; // another run's folder appeared in it since: it stays, as an empty folder would be harmless
        }
    }

    /** True when churn made this folder; a folder the user made is never removed, even left empty. */
    public boolean created() {
        return created;
    }

    /**
     * Holds {@value #SUMMARY_RESERVE_BYTES} bytes of the folder's file system (at most half of what is free, at least a
     * quarter of that figure),
     * in a temporary file, until {@link
     * #releaseReserve}: a run's latency.hlog grows while it runs, and on a disk it filled, the summary written at the end
     * found no room and the measurement was lost (QA, 2026-12-06). Best effort: on a disk without the room, nothing is
     * held and the run goes on.
     */
    public void reserveForSummary() {
        // Never more than half of what is free: on a 64 KiB disk the whole reserve took all of it, and the run lost a
        // 7 KB latency.hlog that would have fitted beside everything else (QA, 2026-12-06). Less again when that is all
        // there is: a summary alone is 8-15 KB.
        long free;
        try {
            free = Files.getFileStore(path).getUsableSpace();
        } catch (IOException e) {
            free = Long.MAX_VALUE;
        }
        int first = (int) Math.max(SUMMARY_RESERVE_BYTES / 4, Math.min(SUMMARY_RESERVE_BYTES, free / 2));
        for (int bytes : new int[] {first, SUMMARY_RESERVE_BYTES / 4}) {
            AtomicFile f = null;
            try {
                f = open(SummaryJson.FILE);
                f.stream().write(new byte[bytes]);
                f.stream().flush();
                f.lock(); // says to another run given this --out that this folder is taken (at)
                reserve = f;
                return;
            } catch (IOException | UncheckedIOException e) {
                closeQuietly(f);
            }
        }
    }

    /** Gives the space {@link #reserveForSummary} held back, for the end-of-run files. Idempotent. */
    public void releaseReserve() {
        closeQuietly(reserve);
        reserve = null;
    }

    private static void closeQuietly(AtomicFile f) {
        if (f == null) {
            return;
        }
        try {
            f.close();
        } catch (IOException e) {
            // its temporary file stays, under a hidden temporary name as any unfinished file of churn's
        }
    }

    /** Starts writing a file of this name; commit it when complete, close it in any case. */
    public AtomicFile open(String name) throws IOException {
        return AtomicFile.create(resolve(name), replace);
    }

    /** Writes a whole UTF-8 text file at once, atomically; returns its path. */
    public Path write(String name, TextBody body) throws IOException {
        return writeStream(name, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.writeTo(w);
            w.flush();
        });
    }

    /**
     * Writes a whole file at once, atomically; returns its path. The content is made in memory
     * first, so a failure to write it is a {@link WriteFailure} that knows the bytes it needed.
     */
    public Path writeStream(String name, StreamBody body) throws IOException {
        return writeBytes(name, render(body));
    }

    /** Writes these bytes as a whole file, atomically; returns its path. */
    public Path writeBytes(String name, byte[] content) throws IOException {
        return AtomicFile.write(resolve(name), content, replace);
    }

    /** A file's content, made in memory. */
    public static byte[] render(StreamBody body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        body.writeTo(b);
        return b.toByteArray();
    }

    /** A text file's content (UTF-8), made in memory. */
    public static byte[] renderText(TextBody body) throws IOException {
        return render(out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.writeTo(w);
            w.flush();
        });
    }

    private Path resolve(String name) {
        if (name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return path.resolve(name);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
