package dev.churn.bench.tls;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;

/**
 * Whose cryptography runs under the JDK's TLS: the JDK's own providers (pure Java X25519, P-256,
 * AES-GCM ...), or Amazon Corretto Crypto Provider (AWS-LC, native code) put first in the provider
 * list, as a service would install it. The TLS protocol code is the JDK's in both: only the
 * primitives change. Process-wide: it applies to the client and the built-in sink alike.
 */
public enum TlsProvider {
    /** The JDK's providers as shipped. */
    JDK,
    /** Amazon Corretto Crypto Provider first, the JDK's behind it for what it lacks. */
    ACCP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TlsProvider parse(String s) {
        for (TlsProvider p : values()) {
            if (p.label().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("--tls-provider must be jdk or accp, got '" + s + "'");
    }

    /**
     * Makes this the process's choice: ACCP installed first (once), or removed again for JDK (a
     * comparison runs both in one process). Throws IllegalStateException with one line when ACCP's
     * native library cannot load here.
     */
    public void apply() {
        String name = AmazonCorrettoCryptoProvider.PROVIDER_NAME;
        if (this == JDK) {
            Security.removeProvider(name);
            return;
        }
        Provider[] now = Security.getProviders();
        if (now.length > 0 && now[0].getName().equals(name)) {
            return;
        }
        Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        if (error != null) {
            // On x86_64 the likely cause is where it unpacks the library: "it ships for linux-x86_64" read as a wrong
            // machine to a user whose java.io.tmpdir was read-only (QA, 2026-12-06).
            boolean x86 = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
            throw new IllegalStateException("--tls-provider accp: Amazon Corretto Crypto Provider cannot load its native "
                    + "library here (" + error.getMessage() + "); " + (x86 ? "it unpacks it into java.io.tmpdir ("
                    + System.getProperty("java.io.tmpdir") + "), which must be writable and not mounted noexec"
                    : "it ships for linux-x86_64 only"));
        }
        Security.removeProvider(name);
        Security.insertProviderAt(AmazonCorrettoCryptoProvider.INSTANCE, 1);
    }
}
