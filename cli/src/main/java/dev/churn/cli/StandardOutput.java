package dev.churn.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Standard output that keeps why a write failed. System.out's PrintStream swallows the IOException and keeps a flag
 * that picocli's writer never reads, so `churn monitor | head` sampled on after head had gone, and a `run --format json`
 * cut short by a full disk exited 0 without a word (QA, 2026-12-06). Main installs it before anything is printed.
 */
final class StandardOutput extends OutputStream {

    private static volatile StandardOutput installed;

    private final OutputStream out;
    private volatile IOException failure;

    private StandardOutput(OutputStream out) {
        this.out = out;
    }

    /** Puts this in System.out's place, buffered and flushed as the JVM's own (128 bytes, flushed at each line). */
    static void install() {
        StandardOutput s = new StandardOutput(new FileOutputStream(FileDescriptor.out));
        installed = s;
        System.setOut(new PrintStream(new BufferedOutputStream(s, 128), true, System.out.charset()));
    }

    /** The first write to standard output that failed, if one did (only once {@link #install}ed). */
    static Optional<IOException> failure() {
        StandardOutput s = installed;
        return s == null ? Optional.empty() : Optional.ofNullable(s.failure);
    }

    /**
     * True when the failure is the reader going away (EPIPE: `| head` has what it wanted): a reason to stop writing, not
     * a fault to report, as a C program dies of SIGPIPE without a word.
     */
    static boolean readerGone(IOException e) {
        return "Broken pipe".equals(e.getMessage());
    }

    /**
     * The exit code once the command has ended: a write that failed for any reason but a reader gone is said in one line
     * on {@code err} and makes a successful command's code 1, so a script never takes a cut-short output for a whole one.
     */
    static int exitCode(int code, PrintStream err) {
        System.out.flush();
        Optional<IOException> f = failure();
        if (f.isEmpty() || readerGone(f.get())) {
            return code;
        }
        err.println("churn: cannot write standard output: " + f.get().getMessage());
        return code == ExitCodes.OK ? ExitCodes.FAILURE : code;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw kept(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw kept(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw kept(e);
        }
    }

    private IOException kept(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }
}
