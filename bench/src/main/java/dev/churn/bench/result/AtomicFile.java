package dev.churn.bench.result;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file written under a hidden temporary name beside its target and renamed into place by
 * {@link #commit}, so readers (and a Ctrl-C, or a full disk) only ever see complete files; a file of
 * records written as it goes may instead keep its whole records before a failure ({@link #commitFirst}).
 * Closing without committing deletes the temporary file.
 *
 * <p>The temporary name is unpredictable ({@code .<name>.<random>.tmp}) and created exclusively
 * (O_CREAT|O_EXCL, which never follows a symbolic link), so a link planted in a shared folder can
 * neither be followed nor guessed. The rename replaces a link at the target itself, never what it
 * points to. Without {@code replace}, an existing target is refused rather than replaced.
 *
 * <p>A failed write is a {@link WriteFailure}: it names the file, the bytes and the space free.
 */
public final class AtomicFile implements Closeable {

    /** What every temporary name ends with. */
    public static final String TEMP_SUFFIX = ".tmp";

    /** A temporary name: the target's name between a leading dot and the random part. */
    private static final Pattern TEMP_NAME = Pattern.compile("\\.(.+)\\.[0-9a-f]{16}" + Pattern.quote(TEMP_SUFFIX));

    private static final SecureRandom RANDOM = new SecureRandom();
    // The mode open(2) gets; the umask still applies, as for any file a user creates.
    private static final Set<StandardOpenOption> CREATE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path target;
    private final Path temp;
    private final boolean replace;
    private final FileChannel channel;
    private final Counting counting;
    private final OutputStream out;
    private boolean done;
    private boolean keepIfNotRenamed;

    private AtomicFile(Path target, boolean replace) throws IOException {
        this.target = target;
        this.replace = replace;
        Path dir = target.toAbsolutePath().getParent();
        if (!replace && exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "exists; churn replaces a file only when told to (--force)");
        }
        FileChannel ch = null;
        Path t = null;
        for (int attempt = 0; ch == null; attempt++) {
            t = dir.resolve("." + target.getFileName() + "." + randomPart() + TEMP_SUFFIX);
            try {
                ch = FileChannel.open(t, CREATE, permissions());
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 10) {
                    throw taken; // ten collisions of 64 random bits: something else is going on
                }
            } catch (IOException e) {
                throw WriteFailure.of(target, e, 0, -1);
            }
        }
        this.temp = t;
        this.channel = ch;
        this.counting = new Counting(Channels.newOutputStream(ch));
        this.out = new BufferedOutputStream(counting, 64 * 1024);
    }

    /**
     * Starts writing {@code target}; without {@code replace} an existing file (or link) of that name
     * is refused with {@link FileAlreadyExistsException}. The target's folder must exist.
     */
    public static AtomicFile create(Path target, boolean replace) throws IOException {
        return new AtomicFile(target, replace);
    }

    /**
     * Writes a whole file at once: complete, or not there (and no temporary file) when it throws; a
     * {@link WriteFailure} then says how many bytes the file needed.
     */
    public static Path write(Path target, byte[] content, boolean replace) throws IOException {
        try (AtomicFile f = create(target, replace)) {
            try {
                f.stream().write(content);
            } catch (IOException e) {
                throw WriteFailure.of(target, e, f.bytesNeeded(), content.length);
            }
            return f.commit();
        } catch (WriteFailure e) {
            throw e.needing(content.length);
        }
    }

    /**
     * Keeps the temporary file, written whole, when only its rename fails (its target appeared meanwhile, a sticky
     * folder forbids replacing another user's file): the error then names where it is. For a file that took a long
     * time to gather (a monitor's series): its hours of samples were deleted for a name taken in its last second (QA,
     * 2026-12-06).
     */
    public AtomicFile keepIfNotRenamed() {
        keepIfNotRenamed = true;
        return this;
    }

    /** Where the bytes go until {@link #commit}; do not close it yourself. */
    public OutputStream stream() {
        return out;
    }

    /** The name the file will have once committed. */
    public Path target() {
        return target;
    }

    /** The temporary file's path (for tests and messages). */
    public Path temp() {
        return temp;
    }

    /** Bytes handed to the file system so far (buffered bytes not yet included). */
    public long bytesWritten() {
        return counting.count;
    }

    /** What the file needed at least when a write failed: what it had, plus what it failed to take. */
    public long bytesNeeded() {
        return counting.count + counting.failedLength;
    }

    /** The first write error the stream met, if any, or null: wrappers such as PrintStream hide it. */
    public IOException writeError() {
        return counting.error;
    }

    /**
     * Finishes the file (flushed and synced to the device) and renames it into place in one step;
     * returns its final path. On any failure the temporary file is removed and a {@link WriteFailure}
     * says why.
     */
    public synchronized Path commit() throws IOException {
        if (done) {
            throw new IllegalStateException(target + " was already committed or abandoned");
        }
        try {
            out.flush();
            if (counting.error != null) {
                throw counting.error; // seen (and hidden) earlier by a PrintStream above us
            }
            // Synced before the rename, so after a crash the name holds the whole file or is absent.
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            IOException said = e instanceof WriteFailure ? e : WriteFailure.of(target, e, bytesNeeded(), -1);
            abandonAfter(said);
            throw said;
        }
        return rename();
    }

    // The last step of a commit, the file written whole and closed.
    private Path rename() throws IOException {
        try {
            if (!replace && exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "appeared while it was being written; not replaced");
            }
            // rename(2): the target appears whole or not at all; a link there is replaced, not followed.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return target;
        } catch (IOException e) {
            IOException said = e instanceof FileAlreadyExistsException ? e : WriteFailure.of(target, e, bytesNeeded(), -1);
            if (keepIfNotRenamed) {
                done = true;
                throw new IOException(said.getMessage() + "; what it holds is kept in " + temp
                        + " (rename it to keep it)", said);
            }
            abandonAfter(said);
            throw said;
        }
    }

    // Abandons the file after a failure that says what went wrong: a folder made immutable mid-run (chattr +i) refused
    // the rename and then the removal, and the removal's bare "<temp>: Operation not permitted" was what the run said,
    // hiding the file it could not write (QA, 2026-12-07).
    private void abandonAfter(IOException said) {
        try {
            abandon();
        } catch (IOException e) {
            said.addSuppressed(e);
        }
    }

    /**
     * Keeps only the file's first {@code length} bytes and renames it into place, as {@link #commit}
     * does: for a file written as it goes (a monitor's series) whose later write failed, where the
     * whole records before the failure are worth keeping. What the stream still buffers is dropped,
     * not flushed (on a full disk it would only fail again); cutting the file frees its blocks, so
     * the rename needs no room. On any failure the temporary file is removed.
     */
    public synchronized Path commitFirst(long length) throws IOException {
        if (done) {
            throw new IllegalStateException(target + " was already committed or abandoned");
        }
        if (length < 0 || length > counting.count) {
            throw new IllegalArgumentException("keeps " + length + " bytes of " + counting.count + " written");
        }
        try {
            channel.truncate(length);
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            abandon();
            throw e;
        }
        return rename();
    }

    /**
     * Locks the temporary file for this process (an advisory lock, which the kernel drops when the process ends,
     * however it ends) until the file is committed or abandoned: how another churn sees that a run is writing here,
     * and not that a killed one left the file ({@link #inUse}). False when the file system keeps no locks.
     */
    public boolean lock() {
        try {
            return channel.tryLock() != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /**
     * True when a process holds {@link #lock} on this temporary file: a run still writing it. Asked with a shared lock
     * on a file opened for reading, which the writer's exclusive lock refuses: opened for writing, another user's file
     * (rw-r--r--) could not be opened, and was taken for one nobody held (review, 2026-12-06).
     */
    public static boolean inUse(Path temp) {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this very process holds it
        } catch (IOException e) {
            return false; // gone since, or unreadable: nothing says a run holds it
        }
    }

    /** Abandons the file unless it was committed: the temporary name is removed. */
    @Override
    public synchronized void close() throws IOException {
        if (!done) {
            abandon();
        }
    }

    private void abandon() throws IOException {
        done = true;
        try {
            channel.close(); // not out.close(): that would flush, and fail again on a full disk
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The name of the file this temporary one was to become ({@code latency.hlog} for {@code
     * .latency.hlog.<16 hex digits>.tmp}), or null when {@code file} is not one of ours: for readers of a folder that
     * a killed process left with them.
     */
    public static String targetOf(Path file) {
        Matcher m = TEMP_NAME.matcher(file.getFileName().toString());
        return m.matches() ? m.group(1) : null;
    }

    private static String randomPart() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static FileAttribute<?>[] permissions() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        // rw-r--r-- as open(2)'s mode, like any file a program creates (umask applies); not
        // createTempFile's owner-only mode, which the renamed file would keep.
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))};
    }

    /** Counts what reaches the file and keeps the first error, which a PrintStream above would swallow. */
    private static final class Counting extends FilterOutputStream {
        long count;
        long failedLength;
        IOException error;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
                count += len;
            } catch (IOException e) {
                if (error == null) {
                    error = e;
                    failedLength = len;
                }
                throw e;
            }
        }
    }
}
