package dev.churn.cli;

import dev.churn.bench.result.ResultsDirectory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where a command's results go: the folder --out names, or a new {@code results/<stamp>-<label>/}
 * under the working folder. Either way a place the user cannot write is said in one line, exit 2: a
 * read-only working folder is as much the user's to change as a read-only --out (it exited 1 with a
 * bare "Permission denied" before, where --out said the same with 2).
 */
final class OutFolder {

    private OutFolder() {
    }

    static ResultsDirectory open(Path out, boolean force, String label) throws IOException {
        if (out != null) {
            return RunCommand.usage(() -> ResultsDirectory.at(out, force));
        }
        try {
            return ResultsDirectory.create(ResultsDirectory.DEFAULT_ROOT, label, Instant.now());
        } catch (IOException e) {
            if (notWritable(e)) {
                throw new UsageException(e.getMessage() + " (under " + Path.of("").toAbsolutePath()
                        + "); run from a folder you can write, or name one with --out");
            }
            throw e; // a full disk or a broken mount is a fault of the moment, not the command line's
        }
    }

    private static boolean notWritable(IOException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        return c instanceof AccessDeniedException
                || c instanceof FileSystemException f && "Read-only file system".equals(f.getReason());
    }
}
