package dev.churn.bench.result;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written under a hidden temporary name ({@code .<name>.tmp}) beside its target and renamed
 * into place by {@link #commit}, so readers (and a Ctrl-C) only ever see complete files. Closing
 * without committing deletes the temporary file. Get one from {@link ResultsDirectory#open}.
 */
public final class AtomicFile implements Closeable {

    /** What every temporary name ends with. */
    public static final String TEMP_SUFFIX = ".tmp";

    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private boolean done;

    AtomicFile(Path target) throws IOException {
        this.target = target;
        this.temp = target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
        this.out = new BufferedOutputStream(Files.newOutputStream(temp));
    }

    /** Where the bytes go until {@link #commit}; do not close it yourself. */
    public OutputStream stream() {
        return out;
    }

    /** The name the file will have once committed. */
    public Path target() {
        return target;
    }

    /** Finishes the file and renames it into place in one step; returns its final path. */
    public synchronized Path commit() throws IOException {
        if (done) {
            throw new IllegalStateException(target + " was already committed or abandoned");
        }
        done = true;
        out.close();
        // rename(2): the target appears whole or not at all, replacing an older one of the same name.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Abandons the file unless it was committed: the temporary name is removed. */
    @Override
    public synchronized void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            out.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
