package dev.churn.bench.tls;

import java.util.Locale;

/** The TLS versions churn speaks: what {@code --tls 1.2|1.3} names, and the JDK's protocol name for it. */
public enum TlsVersion {
    V1_2("1.2", "TLSv1.2"),
    V1_3("1.3", "TLSv1.3");

    private final String label;
    private final String protocol;

    TlsVersion(String label, String protocol) {
        this.label = label;
        this.protocol = protocol;
    }

    /** As the user writes it: {@code 1.2}, {@code 1.3}. */
    public String label() {
        return label;
    }

    /** The JSSE protocol name: {@code TLSv1.2}, {@code TLSv1.3}. */
    public String protocol() {
        return protocol;
    }

    /** Parses {@code 1.2}, {@code 1.3}, {@code TLSv1.3} ...; anything else is refused with the versions that exist. */
    public static TlsVersion parse(String s) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("tlsv")) {
            t = t.substring(4);
        }
        for (TlsVersion v : values()) {
            if (v.label.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("TLS version '" + s + "' is not one churn speaks: 1.2 or 1.3"
                + (t.equals("1.0") || t.equals("1.1") ? " (1.0 and 1.1 are disabled in the JDK, RFC 8996)" : ""));
    }
}
