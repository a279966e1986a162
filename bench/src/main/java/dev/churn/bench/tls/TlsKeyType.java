package dev.churn.bench.tls;

import java.util.Locale;

/** The key of the certificate churn makes for its own server: {@code --tls-key ec|rsa}. */
public enum TlsKeyType {
    /** ECDSA on P-256 (secp256r1): the cheap signature, what most servers use today. */
    EC,
    /** RSA 2048: the server's signature costs several times an ECDSA one. */
    RSA;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TlsKeyType parse(String s) {
        for (TlsKeyType k : values()) {
            if (k.label().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("--tls-key must be ec or rsa, got '" + s + "'");
    }
}
