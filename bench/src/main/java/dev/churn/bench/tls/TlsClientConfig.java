package dev.churn.bench.tls;

import java.util.List;

/**
 * The client's TLS: the one version it offers, whether it resumes sessions, the key-exchange
 * groups and cipher suites it offers (empty: the JDK's defaults), and what it trusts: with neither
 * {@code insecure} nor a {@code truststore} (a file, and its password if it has one), the JDK's own CA certificates (or, against the built-in
 * sink, the certificate the sink made).
 */
public record TlsClientConfig(TlsVersion version, boolean resume, List<String> groups, List<String> ciphers,
                              boolean insecure, TrustStoreFile truststore) {

    public TlsClientConfig {
        if (version == null) {
            throw new IllegalArgumentException("a TLS client needs a version");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
        if (insecure && truststore != null) {
            throw new IllegalArgumentException("give --insecure or --truststore, not both");
        }
    }

    /** TLS of this version with the JDK's defaults otherwise. */
    public static TlsClientConfig of(TlsVersion version) {
        return new TlsClientConfig(version, false, List.of(), List.of(), false, null);
    }

    public TlsClientConfig withResume(boolean r) {
        return new TlsClientConfig(version, r, groups, ciphers, insecure, truststore);
    }

    public TlsClientConfig withInsecure(boolean i) {
        return new TlsClientConfig(version, resume, groups, ciphers, i, truststore);
    }
}
