package dev.churn.bench.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code --truststore FILE} and the password that opens it ({@code --truststore-password}), or
 * null: a PEM file has none, and nor does a keystore written with an empty one. The password is
 * used only to open the file; {@link #toString} does not show it and no result records it.
 */
public record TrustStoreFile(Path file, char[] password) {

    public TrustStoreFile {
        Objects.requireNonNull(file, "file");
        password = password == null ? null : password.clone();
    }

    /** A truststore without a password. */
    public static TrustStoreFile of(Path file) {
        return new TrustStoreFile(file, null);
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
