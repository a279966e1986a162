package dev.churn.bench.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Checks {@code --tls-groups} and {@code --tls-ciphers} against what this JDK supports, and applies them. */
final class TlsParameters {

    private TlsParameters() {}

    /**
     * Sets the groups and suites on {@code p} when given; unknown names are refused in one line, and so are
     * suites of which none can serve {@code version} (null: either version): the handshakes would all fail.
     */
    static void apply(SSLContext context, SSLParameters p, List<String> groups, List<String> ciphers, TlsVersion version) {
        SSLParameters supported = context.getSupportedSSLParameters();
        if (!groups.isEmpty()) {
            p.setNamedGroups(known("--tls-groups", "key-exchange group", groups, supported.getNamedGroups()));
        }
        if (!ciphers.isEmpty()) {
            String[] suites = known("--tls-ciphers", "cipher suite", ciphers, supported.getCipherSuites());
            if (version != null && Arrays.stream(suites).noneMatch(c -> servesVersion(c, version))) {
                throw new IllegalArgumentException("--tls-ciphers: " + String.join(", ", suites) + (suites.length == 1 ? " is" : " are")
                        + " not for TLS " + version.label() + " (TLS 1.3's suites are TLS_AES_* and TLS_CHACHA20_POLY1305_SHA256;"
                        + " TLS 1.2's name their key exchange, as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");
            }
            p.setCipherSuites(suites);
        }
    }

    /** Refuses group and suite names this JDK does not support, in one line, as {@link #apply} does. */
    static void checkNames(SSLContext context, List<String> groups, List<String> ciphers) {
        SSLParameters supported = context.getSupportedSSLParameters();
        known("--tls-groups", "key-exchange group", groups, supported.getNamedGroups());
        known("--tls-ciphers", "cipher suite", ciphers, supported.getCipherSuites());
    }

    /**
     * Whether a suite can be negotiated in this version. TLS 1.3 suites (RFC 8446 B.4) name only the AEAD and
     * hash; every earlier suite names its key exchange and authentication before "_WITH_".
     */
    static boolean servesVersion(String suite, TlsVersion version) {
        boolean pre13 = suite.contains("_WITH_");
        return switch (version) {
            case V1_3 -> !pre13 && !suite.endsWith("_SCSV");
            case V1_2 -> pre13;
        };
    }

    private static String[] known(String option, String what, List<String> asked, String[] supported) {
        Set<String> names = new LinkedHashSet<>(Arrays.asList(supported == null ? new String[0] : supported));
        List<String> out = new ArrayList<>();
        for (String a : asked) {
            String match = names.stream().filter(n -> n.equalsIgnoreCase(a.strip())).findFirst().orElse(null);
            if (match == null) {
                throw new IllegalArgumentException(option + ": '" + a + "' is not a " + what + " this JDK supports ("
                        + String.join(", ", names.stream().limit(12).toList()) + (names.size() > 12 ? ", ..." : "") + ")");
            }
            out.add(match);
        }
        return out.toArray(String[]::new);
    }
}
