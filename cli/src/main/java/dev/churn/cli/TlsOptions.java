package dev.churn.cli;

import dev.churn.bench.tls.PasswordSource;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsProvider;
import dev.churn.bench.tls.TlsVersion;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The TLS options that {@code churn run} (for the client and its built-in sink) and {@code churn
 * serve} share: whether and which version, the key-exchange groups and cipher suites, and the
 * server's key and certificate (made at start-up, or given as PEM).
 */
public final class TlsOptions {

    /** What a bare {@code --tls} means: no version named. */
    static final String ANY = "any";

    @Option(names = "--tls", arity = "0..1", fallbackValue = ANY, paramLabel = "VERSION", converter = VersionName.class,
            completionCandidates = OptionConverters.TlsVersions.class,
            description = "Speak TLS over every connection: 1.2 or 1.3. 'churn run' defaults to 1.3 and times the "
                    + "handshake as its own phase, 'tls'; 'churn serve' speaks both unless one is named.")
    String tls;

    @Option(names = "--tls-groups", paramLabel = "GROUP,...", split = ",", hideParamSyntax = true,
            description = "The key-exchange groups to offer or accept, e.g. x25519 or secp256r1 (default: the JDK's).")
    List<String> groups = List.of();

    @Option(names = "--tls-ciphers", paramLabel = "SUITE,...", split = ",", hideParamSyntax = true,
            description = "The cipher suites to offer or accept, e.g. TLS_AES_128_GCM_SHA256 (default: the JDK's).")
    List<String> ciphers = List.of();

    @Option(names = "--tls-provider", paramLabel = "jdk|accp", converter = ProviderName.class,
            description = "Whose cryptography runs under the JDK's TLS: jdk (its own, pure Java; the default) or accp "
                    + "(Amazon Corretto Crypto Provider, native AWS-LC, put first). The protocol code is the JDK's either way.")
    TlsProvider provider;

    @Option(names = "--tls-key", paramLabel = "TYPE", converter = KeyTypeName.class,
            description = "The key of the certificate the server makes at start-up: ec (P-256, the default) or rsa (2048).")
    TlsKeyType keyType;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "The server's certificate chain as PEM (its own first), instead of one made at start-up; with --key.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The server's private key as PEM (PKCS#8, EC or RSA); with --cert. An encrypted one needs "
                    + "--key-password.")
    Path key;

    @Option(names = "--key-password", paramLabel = "SPEC", description = "The password of an encrypted --key, as "
            + "openssl's -passin takes it: pass:TEXT, env:VAR or file:PATH (first line). Never recorded in the results.")
    String keyPassword;

    /** True when {@code --tls} was given. */
    boolean enabled() {
        return tls != null;
    }

    /** The version named, or {@code otherwise} for a bare {@code --tls}; null without {@code --tls}. */
    TlsVersion version(TlsVersion otherwise) {
        return tls == null ? null : ANY.equals(tls) ? otherwise : TlsVersion.parse(tls);
    }

    /**
     * Refuses server options given without {@code --tls}, and half of {@code --cert}/{@code --key}
     * or either of them with {@code --tls-key}: one line each (IllegalArgumentException).
     */
    void check() {
        if (!enabled()) {
            needsTls("--tls-groups", !groups.isEmpty());
            needsTls("--tls-ciphers", !ciphers.isEmpty());
            needsTls("--tls-key", keyType != null);
            needsTls("--tls-provider", provider != null);
            needsTls("--cert", cert != null);
            needsTls("--key", key != null);
            needsTls("--key-password", keyPassword != null);
            return;
        }
        if (keyPassword != null && key == null) {
            throw new IllegalArgumentException("--key-password needs --key (the encrypted key it opens)");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null ? "--key needs --cert (the certificate of that key)"
                    : "--cert needs --key (the certificate's private key)");
        }
        if (cert != null && keyType != null) {
            throw new IllegalArgumentException("--tls-key chooses the key of the certificate churn makes; with --cert and --key "
                    + "the key is the one given");
        }
    }

    private static void needsTls(String option, boolean given) {
        if (given) {
            throw new IllegalArgumentException(option + " needs --tls");
        }
    }

    /**
     * The server side of TLS, or null without {@code --tls}: the given PEM identity, or a self-signed
     * one naming localhost, 127.0.0.1, ::1 and {@code extraHosts}. {@code only}: the one version
     * to speak, or null for 1.2 and 1.3. It issues session tickets, as a server for any client does,
     * unless {@code tickets} is false and it speaks TLS 1.3 alone.
     */
    ServerTls server(TlsVersion only, List<String> extraHosts, boolean tickets) {
        check();
        if (!enabled()) {
            return null;
        }
        (provider == null ? TlsProvider.JDK : provider).apply();
        ServerIdentity id = cert != null ? identity()
                : ServerIdentity.selfSigned(keyType == null ? TlsKeyType.EC : keyType, extraHosts);
        return ServerTls.of(id, only, groups, ciphers, tickets);
    }

    /** The identity --cert and --key give, the key opened with --key-password if there is one. */
    ServerIdentity identity() {
        return ServerIdentity.fromPem(cert, key,
                keyPassword == null ? null : PasswordSource.read("--key-password", keyPassword));
    }

    /** {@code 1.2} or {@code 1.3} (or {@code TLSv1.3}); the fallback of a bare {@code --tls} passes through. */
    static final class VersionName implements ITypeConverter<String> {
        @Override
        public String convert(String v) {
            try {
                return ANY.equals(v) ? ANY : TlsVersion.parse(v).label();
            } catch (IllegalArgumentException e) {
                // picocli shows a TypeConversionException's message as it is, not wrapped with the class name
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code jdk} or {@code accp}. */
    static final class ProviderName implements ITypeConverter<TlsProvider> {
        @Override
        public TlsProvider convert(String v) {
            try {
                return TlsProvider.parse(v);
            } catch (IllegalArgumentException e) {
                // picocli names the option already: "Invalid value for option '--tls-provider': --tls-provider must ..."
                throw new TypeConversionException("'" + v + "' is not jdk or accp");
            }
        }
    }

    /** {@code ec} or {@code rsa}. */
    static final class KeyTypeName implements ITypeConverter<TlsKeyType> {
        @Override
        public TlsKeyType convert(String v) {
            try {
                return TlsKeyType.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + v + "' is not ec or rsa");
            }
        }
    }
}
