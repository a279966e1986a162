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

    /** Sets the groups and suites on {@code p} when given; unknown names are refused in one line. */
    static void apply(SSLContext context, SSLParameters p, List<String> groups, List<String> ciphers) {
        SSLParameters supported = context.getSupportedSSLParameters();
        if (!groups.isEmpty()) {
            p.setNamedGroups(known("--tls-groups", "key-exchange group", groups, supported.getNamedGroups()));
        }
        if (!ciphers.isEmpty()) {
            p.setCipherSuites(known("--tls-ciphers", "cipher suite", ciphers, supported.getCipherSuites()));
        }
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
