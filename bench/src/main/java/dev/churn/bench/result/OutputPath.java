package dev.churn.bench.result;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * Checks a path the user gave with {@code --out} before any work starts, so a bad one costs one
 * line (IllegalArgumentException, which the CLI reports with exit code 2) and not a run.
 *
 * <p>The rules, the same for every command: the path may not be empty (that would be the current
 * folder); its last component may not be a symbolic link (churn never writes through a link: name
 * the folder or file itself; links higher up the path are followed as usual); a file's folder must
 * exist; an existing file is replaced only with {@code --force}; and, even with {@code --force}, it
 * may not be what the command reads (a merge written over one of its runs would destroy it).
 */
public final class OutputPath {

    /** File systems the kernel makes up as they are read: nothing can be saved on them. */
    private static final Set<String> VIRTUAL = Set.of("proc", "sysfs", "cgroup", "cgroup2", "debugfs", "tracefs",
            "securityfs", "configfs", "bpf", "pstore", "efivarfs", "fusectl");

    private OutputPath() {}

    /** Checks a folder to write into: not empty, not a link, not a file. It may not exist yet. */
    public static Path checkFolder(Path dir) {
        checkNotEmpty(dir, "folder", "--out");
        checkNotLink(dir, "--out");
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--out: " + dir + " is a file, not a folder");
        }
        return dir;
    }

    /**
     * Checks a single file to write (report, monitor): not empty, not a folder, not a link, in a
     * folder that exists; an existing file only with {@code force}.
     */
    public static Path checkFile(Path file, boolean force) {
        return checkFile(file, force, "--out", "report.html");
    }

    /** {@link #checkFile(Path, boolean)} for --out, {@code example} the file name a refused folder's message suggests. */
    public static Path checkFile(Path file, boolean force, String example) {
        return checkFile(file, force, "--out", example);
    }

    /**
     * {@link #checkFile(Path, boolean)} for a file given with another option ({@code --html}): its
     * messages name {@code option}, and a folder given instead is answered with {@code example} in it.
     */
    public static Path checkFile(Path file, boolean force, String option, String example) {
        checkNotEmpty(file, "file", option);
        checkNotLink(file, option);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(option + ": " + file + " is a folder; name a file in it, e.g. "
                    + file.resolve(example));
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + ": the folder of " + file + " does not exist");
        }
        // A device or a FIFO is not a file --force may replace: the rename put a regular file in its place (root would
        // have replaced /dev/null), and the message without --force invited it (QA, 2026-12-06).
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(option + ": " + file + " is not a regular file (a device, a pipe or a"
                    + " socket), which churn never replaces: name a file");
        }
        if (!force && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(option + ": " + file + " exists; add --force to replace it");
        }
        checkWritable(dir, option);
        return file;
    }

    /**
     * Refuses an --out folder that is one of the folders the command reads ({@code merge}'s runs,
     * {@code compare --runs}'s rows): its files would be replaced by the output, --force or not.
     */
    public static void checkNotAnInput(Path out, Collection<Path> inputs) {
        Path o = canonical(out);
        for (Path in : inputs) {
            if (o.equals(canonical(in))) {
                throw new IllegalArgumentException("--out: " + out + " is " + (in.equals(out) ? "" : in + ", ")
                        + "one of the folders read; its files would be replaced: name another folder");
            }
        }
    }

    /**
     * Refuses an --out file that already exists in one of the folders the command reads ({@code report}'s
     * runs), unless it is {@code ownName} there (the report's own page, which writing again replaces):
     * with --force a report would otherwise overwrite the summary.json or latency log it draws.
     */
    public static void checkNotAnInputFile(Path file, Collection<Path> inputs, String ownName) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) || file.getFileName().toString().equals(ownName)) {
            return;
        }
        Path folder = canonical(file.toAbsolutePath().getParent());
        for (Path in : inputs) {
            if (folder.equals(canonical(in))) {
                throw new IllegalArgumentException("--out: " + file + " is one of the files read from " + in
                        + "; name another file (" + in.resolve(ownName) + " is the report's own place there)");
            }
        }
    }

    // The same folder however it was named (relative, with .., through a link), once it exists.
    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** Creates the folder (and its parents) or says in one line why it cannot be. */
    public static Path createFolder(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out: cannot create results folder " + dir + ": " + WriteFailure.reason(e)
                    + whereItFailed(dir));
        }
    }

    // mkdir in /proc says "No such file or directory", which hides the real problem: the place.
    private static String whereItFailed(Path dir) {
        Path existing = dir.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "";
        }
        try {
            FileStore store = Files.getFileStore(existing);
            if (VIRTUAL.contains(store.type())) {
                return " (" + existing + " is on a " + store.type() + " file system, made by the kernel: it holds no files)";
            }
            if (store.isReadOnly()) {
                return " (" + existing + " is on a read-only file system)";
            }
        } catch (IOException e) {
            // no more to say than the reason
        }
        return "";
    }

    /** Proves a file can be created in the folder now, rather than after a run has measured for minutes. */
    public static void checkWritable(Path dir) {
        checkWritable(dir, "--out");
    }

    /**
     * Refuses to write a command's default output into {@code dir} (a run's folder, where {@code report}
     * writes report.html when no --out is given) when the folder cannot be written: {@code outOption} is
     * where the message sends the user instead.
     */
    public static void checkDefaultPlace(Path dir, String file, String outOption) {
        String why = whyNotWritable(dir);
        if (why != null) {
            throw new IllegalArgumentException("cannot write " + file + " in " + dir + ": " + why + "; name a file elsewhere with "
                    + outOption);
        }
    }

    private static void checkWritable(Path dir, String option) {
        String why = whyNotWritable(dir);
        if (why != null) {
            throw new IllegalArgumentException(option + ": cannot write in " + dir + ": " + why);
        }
    }

    /**
     * Why a file cannot be made in {@code dir}, or null when it can: a probe, created exclusively under a
     * temporary name and abandoned at once (removed).
     */
    private static String whyNotWritable(Path dir) {
        try (AtomicFile probe = AtomicFile.create(dir.resolve("probe"), true)) {
            return null;
        } catch (IOException e) {
            return WriteFailure.reason(e.getCause() instanceof IOException c ? c : e) + whereItFailed(dir.resolve("probe"));
        }
    }

    private static void checkNotEmpty(Path p, String what, String option) {
        // Blank too: --out ' ' made a folder or file named by a space (QA, 2026-12-06).
        if (p.toString().isBlank()) {
            throw new IllegalArgumentException(option + ": " + (p.toString().isEmpty() ? "empty" : "only spaces")
                    + "; name a " + what + (what.equals("folder") ? " (use . for the current folder)" : ""));
        }
    }

    private static void checkNotLink(Path p, String option) {
        if (Files.isSymbolicLink(p)) {
            String to;
            try {
                to = " (to " + Files.readSymbolicLink(p) + ")";
            } catch (IOException | UnsupportedOperationException e) {
                to = "";
            }
            throw new IllegalArgumentException(option + ": " + p + " is a symbolic link" + to
                    + "; churn does not write through links: name the real " + (Files.isDirectory(p) ? "folder" : "file"));
        }
    }
}
