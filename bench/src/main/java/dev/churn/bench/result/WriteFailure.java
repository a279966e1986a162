package dev.churn.bench.result;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A results file that could not be written, as one line a user can act on: the file, the system's
 * reason, the bytes the file needed (or had reached) and the space free where it goes, e.g.
 * {@code cannot write r1/cycle.hgrm: No space left on device (needs 3,777 bytes; 0 bytes free on /tmp/full)}.
 */
public final class WriteFailure extends IOException {

    private final Path file;
    private final String reason;
    private final long written;
    private final long needed;
    private final long free;
    private final String note;

    private WriteFailure(Path file, String reason, long written, long needed, long free, String note, IOException cause) {
        super(message(file, reason, written, needed, free) + (note == null ? "" : "; " + note), cause);
        this.file = file;
        this.reason = reason;
        this.written = written;
        this.needed = needed;
        this.free = free;
        this.note = note;
    }

    /**
     * The failure to write {@code file}, which needed {@code needed} bytes in all, or -1 when unknown
     * (a file written as a run goes): then at least {@code atLeast}, what it had been given so far.
     */
    public static WriteFailure of(Path file, IOException cause, long atLeast, long needed) {
        if (cause instanceof WriteFailure w) {
            return w.needing(needed);
        }
        return new WriteFailure(file, reasonFor(file, cause), atLeast, needed, freeBytes(file), null, cause);
    }

    // A folder removed while churn wrote in it (a results folder deleted mid-run) read as the file's own "No such file or
    // directory": latency.hlog was blamed, where its folder was gone (QA, 2026-12-06).
    private static String reasonFor(Path file, IOException cause) {
        String r = reason(cause);
        Path dir = file.toAbsolutePath().getParent();
        if (r.equals("No such file or directory") && dir != null && !Files.isDirectory(dir)) {
            return "its folder " + dir + " does not exist";
        }
        return r;
    }

    /** The same failure, now knowing how many bytes the whole file needed. */
    public WriteFailure needing(long bytes) {
        if (bytes < 0 || bytes == needed) {
            return this;
        }
        return new WriteFailure(file, reason, written, bytes, free, note, getCause() instanceof IOException c ? c : null);
    }

    /** The same failure with what else it means appended, e.g. which files were not written either. */
    public WriteFailure withNote(String more) {
        return new WriteFailure(file, reason, written, needed, free, note == null ? more : note + "; " + more,
                getCause() instanceof IOException c ? c : null);
    }

    /** The file that was not written. */
    public Path file() {
        return file;
    }

    /** The bytes the whole file needed, or -1 when unknown (a file written as the run goes). */
    public long needed() {
        return needed;
    }

    /**
     * The system's reason for an I/O error, without the file name Java's messages lead with:
     * {@code No space left on device}, {@code Permission denied}, ...
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            return switch (f) {
                case AccessDeniedException a -> "Permission denied";
                case NoSuchFileException n -> "No such file or directory";
                case FileAlreadyExistsException x -> "File exists";
                case NotDirectoryException d -> "Not a directory";
                default -> f.getClass().getSimpleName();
            };
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Usable bytes on the file system holding {@code file}'s folder, or -1 when unknown. */
    static long freeBytes(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ENOSPC and EDQUOT, as the C library words them.
    private static boolean isSpace(String reason) {
        return reason.contains("No space left") || reason.contains("quota");
    }

    private static String message(Path file, String reason, long written, long needed, long free) {
        StringBuilder b = new StringBuilder("cannot write ").append(file).append(": ").append(reason);
        if (!isSpace(reason)) {
            return b.toString(); // sizes would only distract from a permission or a missing folder
        }
        String size = needed >= 0 ? String.format(Locale.ROOT, "needs %,d bytes", needed)
                // Not "needs at least N": read as N more, where N is the size the file reached with the write that
                // failed (QA, 2026-12-06).
                : written > 0 ? String.format(Locale.ROOT, "ran out at %,d bytes", written) : null;
        String space = free >= 0 ? String.format(Locale.ROOT, "%,d bytes free on %s", free,
                file.toAbsolutePath().getParent()) : null;
        if (size != null || space != null) {
            b.append(" (").append(size == null ? space : space == null ? size : size + "; " + space).append(')');
        }
        return b.toString();
    }
}
