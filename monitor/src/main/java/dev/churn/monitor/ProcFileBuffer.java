package dev.churn.monitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Holds the whole text of one /proc file in a byte array that is reused from read to read and grows
 * as needed. Fill it with {@link OpenProcFile#readInto}, then use {@link #bytes()} up to
 * {@link #length()}. Not thread-safe.
 */
final class ProcFileBuffer {

    /** Arrays cannot hold more; a /proc/net/tcp this large would mean ~14 million sockets. */
    private static final int MAX_LENGTH = Integer.MAX_VALUE - 16;

    private byte[] bytes;
    /**
     * A view of {@link #bytes} kept between reads, so a read allocates no wrapper per call. A heap
     * buffer measured as fast as a reused direct one plus a copy, or FileInputStream in 8 KB reads:
     * the kernel hands out /proc/net/tcp about 4 KB per read and formatting it dominates.
     */
    private ByteBuffer view;
    private int length;

    ProcFileBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
        view = ByteBuffer.wrap(bytes);
    }

    /**
     * Reads an open file from offset 0 to its end with positional reads, replacing what the buffer
     * held. /proc files report size 0 and hand out their text a page or so per read, so this reads
     * in a loop until EOF.
     */
    void readFromStart(FileChannel channel, Path file) throws IOException {
        length = 0;
        while (true) {
            if (length == bytes.length) {
                grow(file);
            }
            view.limit(bytes.length).position(length);
            int n = channel.read(view, length);
            if (n < 0) {
                return;
            }
            length += n;
        }
    }

    /** Holds nothing. */
    void clear() {
        length = 0;
    }

    /** The array holding the text; only the first {@link #length()} bytes are valid. */
    byte[] bytes() {
        return bytes;
    }

    /** How many bytes the last read gave. */
    int length() {
        return length;
    }

    private void grow(Path file) throws IOException {
        if (bytes.length >= MAX_LENGTH) {
            throw new IOException(file + " is larger than " + MAX_LENGTH + " bytes");
        }
        int capacity = (int) Math.min(MAX_LENGTH, 2L * bytes.length);
        byte[] larger = new byte[capacity];
        System.arraycopy(bytes, 0, larger, 0, length);
        bytes = larger;
        view = ByteBuffer.wrap(bytes);
    }
}
