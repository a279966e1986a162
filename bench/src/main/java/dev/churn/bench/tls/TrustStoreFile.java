package dev.churn.bench.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code --truststore FILE} and the password that opens it ({@code --truststore-password}), or
 * null: a PEM file has none, and nor does a keystore written with an empty one. The password is
 * used only to open the file; {@link #toString} does not show it and no result records it.
 */
public record TrustStoreFile(Path file, char[] password, byte[] content) {

    /** Larger than any truststore: a system CA bundle is about 200 KB. */
    static final int MAX_BYTES = 16 << 20;

    public TrustStoreFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(content, "content");
        password = password == null ? null : password.clone();
    }

    /**
     * Reads the file once, here: it was read to check it and again to run, so a pipe ({@code --truststore <(...)}) was
     * empty the second time and the run failed after making its folder (QA, 2026-12-06).
     */
    public TrustStoreFile(Path file, char[] password) {
        this(file, password, read(file));
    }

    /** A truststore without a password. */
    public static TrustStoreFile of(Path file) {
        return new TrustStoreFile(file, null);
    }

    private static byte[] read(Path file) {
        if (file.toString().isBlank()) {
            throw new IllegalArgumentException("--truststore needs a file name, got '" + file + "'");
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            // The whole file, not its first 64 bytes: PEM as 'openssl x509 -text' or 'openssl ca' writes it, or a CA
            // bundle with a long comment, starts with text, and was read as a keystore and refused (QA, 2026-12-06).
            content = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--truststore " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("--truststore " + file + ": " + e.getMessage());
        }
        if (content.length > MAX_BYTES) {
            throw new IllegalArgumentException("--truststore " + file + ": more than " + (MAX_BYTES >> 20)
                    + " MiB, more than any set of certificates to trust");
        }
        if (content.length == 0) {
            // The JDK's keystore loader says "Unrecognized keystore format" of it, which hides the plain cause.
            throw new IllegalArgumentException("--truststore " + file + ": the file is empty (0 bytes)");
        }
        return content;
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public char[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustStoreFile t && file.equals(t.file) && java.util.Arrays.equals(password, t.password);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }

    @Override
    public String toString() {
        return password == null ? file.toString() : file + " (with a password)";
    }
}
