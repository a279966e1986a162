package dev.churn.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A /proc file opened at its first read and kept open, read whole again from offset 0 each time
 * (pread(2) at 0 restarts a proc file's text, so each read is the kernel's state then).
 *
 * <p>Why keep it open: a sample then needs no file descriptor, and a run that has used up its own
 * (EMFILE: {@code --closer never}, a leak under test) is when the states matter most; and it saves
 * an open and a close per sample. The network namespace is the one of the thread that made the
 * first read (a /proc/net file shows the namespace of whoever opened it). Not thread-safe.
 */
final class OpenProcFile implements Closeable {

    private final Path path;
    private FileChannel channel;
    private boolean missing;

    OpenProcFile(Path path) {
        this.path = path;
    }

    /**
     * Reads the whole file into {@code into}; false, holding nothing, when the file does not exist
     * (it is not looked for again: a /proc file does not appear while we run).
     */
    boolean readInto(ProcFileBuffer into) throws IOException {
        if (missing) {
            into.clear();
            return false;
        }
        if (channel == null) {
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                missing = true;
                into.clear();
                return false;
            }
        }
        into.readFromStart(channel, path);
        return true;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
