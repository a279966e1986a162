package dev.churn.bench.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The server side of TLS for the built-in sink and {@code churn serve}: one SSLContext with the
 * server's identity (its session cache and ticket keys serve resumption), and the parameters every
 * accepted connection gets. Thread-safe.
 *
 * <p>The built-in sink issues TLS 1.3 session tickets only to a run that resumes: a TLS 1.3 server
 * sends its tickets after the handshake, so a client that closes without reading (no response to
 * wait for) receives them on a socket it has closed or is closing with them unread, and its kernel
 * answers with an RST instead of the FIN the run asked for: no TIME_WAIT, a reset on both sides
 * (989 of 1,000 connections, 2026-12-04). {@code churn serve}, a server for any client, issues them.
 */
public final class ServerTls {

    private final ServerIdentity identity;
    private final SSLContext context;
    private final SSLSocketFactory factory;
    private final SSLParameters parameters;

    private ServerTls(ServerIdentity identity, SSLContext context, SSLParameters parameters) {
        this.identity = identity;
        this.context = context;
        this.factory = context.getSocketFactory();
        this.parameters = parameters;
    }

    /**
     * RFC 8446 caps a ticket's lifetime at 7 days, and the JDK issues no TLS 1.3 NewSessionTicket from a
     * context whose sessions may live longer: the one switch for tickets an SSLContext has. Only for a
     * server that speaks TLS 1.3 alone: under TLS 1.2 the JDK still promises a ticket in its ServerHello
     * (when the client offers the extension) and then sends none, which OpenSSL's client rejects.
     */
    static final int NO_TICKETS_SESSION_TIMEOUT = 604_800 + 1;

    /**
     * A server with this identity speaking {@code only} this version, or 1.2 and 1.3 when null;
     * groups and suites as for the client (empty: the JDK's defaults). {@code tickets} false stops
     * TLS 1.3 session tickets when {@code only} is TLS 1.3 (see {@link #NO_TICKETS_SESSION_TIMEOUT});
     * TLS 1.2 sends its ticket inside the handshake, where a client reads it anyway.
     */
    public static ServerTls of(ServerIdentity identity, TlsVersion only, List<String> groups, List<String> ciphers,
            boolean tickets) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pass = "churn".toCharArray();
            ks.setKeyEntry("server", identity.key(), pass, identity.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            // Unknown names first: the checks below read every name as a real one, so 'serve --tls --tls-groups
            // nosuch' was told to add secp256r1, and '--tls-ciphers NOSUCH' that it left TLS 1.3 alone (review, 2026-12-07)
            TlsParameters.checkNames(ctx, groups, ciphers);
            checkSuites(ciphers, only, identity.key().getAlgorithm());
            checkGroups(groups, only, ecCurve(identity.key()));
            if (!tickets && only == TlsVersion.V1_3) {
                ctx.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT);
            }
            SSLParameters p = ctx.getDefaultSSLParameters();
            p.setProtocols(only == null ? new String[] {TlsVersion.V1_3.protocol(), TlsVersion.V1_2.protocol()}
                    : new String[] {only.protocol()});
            TlsParameters.apply(ctx, p, groups, ciphers, only);
            return new ServerTls(identity, ctx, p);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use this key and certificate for TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses {@code --tls-ciphers} of which none a server with a key of {@code keyAlgorithm} (EC, RSA) could
     * negotiate in {@code only} (null: 1.2 or 1.3): a TLS 1.2 suite names how the server signs, ECDSA or RSA,
     * and a server whose key cannot answers every handshake with handshake_failure. TLS 1.3 suites sign with
     * whatever the key is.
     */
    public static void checkSuites(List<String> ciphers, TlsVersion only, String keyAlgorithm) {
        if (ciphers.isEmpty()) {
            return;
        }
        if (only != null && ciphers.stream().noneMatch(c -> TlsParameters.servesVersion(c.strip().toUpperCase(Locale.ROOT), only))) {
            return; // not the key's fault: TlsParameters.apply refuses them as suites of the other version, saying so
        }
        String signs = switch (keyAlgorithm) {
            case "EC" -> "_ECDSA_";
            case "RSA" -> "_RSA_";
            default -> null;
        };
        boolean usable = ciphers.stream().map(c -> c.strip().toUpperCase(Locale.ROOT)).anyMatch(c ->
                (only != TlsVersion.V1_2 && TlsParameters.servesVersion(c, TlsVersion.V1_3))
                        || (only != TlsVersion.V1_3 && TlsParameters.servesVersion(c, TlsVersion.V1_2)
                                && (signs == null || c.contains(signs))));
        // With both versions offered, suites of one alone leave the other unspoken while the banner named both: 'serve
        // --tls --tls-ciphers TLS_AES_128_GCM_SHA256' said TLS 1.2/1.3 and answered 1.2 with protocol_version (QA,
        // 2026-12-06). The version is then the user's to name.
        if (usable && only == null) {
            boolean twelve = ciphers.stream().map(c -> c.strip().toUpperCase(Locale.ROOT))
                    .anyMatch(c -> TlsParameters.servesVersion(c, TlsVersion.V1_2) && (signs == null || c.contains(signs)));
            boolean thirteen = ciphers.stream().map(c -> c.strip().toUpperCase(Locale.ROOT))
                    .anyMatch(c -> TlsParameters.servesVersion(c, TlsVersion.V1_3));
            if (twelve != thirteen) {
                TlsVersion alone = twelve ? TlsVersion.V1_2 : TlsVersion.V1_3;
                throw new IllegalArgumentException("--tls-ciphers: " + String.join(", ", ciphers) + " leave" + (ciphers.size() == 1
                        ? "s" : "") + " this server TLS " + alone.label() + " alone" + (twelve ? "" : " (no TLS 1.2 suite its "
                        + keyAlgorithm + " key can sign)") + ": name it, --tls " + alone.label() + ", or add suites of the other");
            }
        }
        if (!usable) {
            throw new IllegalArgumentException("--tls-ciphers: " + String.join(", ", ciphers) + (ciphers.size() == 1 ? " needs" : " need")
                    + " a server key other than its " + keyAlgorithm + " one (a TLS 1.2 suite names how the server signs: "
                    + "_ECDSA_ for an EC key, _RSA_ for an RSA one: --tls-key ec or rsa, or the key given with --cert and --key)");
        }
    }

    /**
     * Refuses {@code --tls-groups} that leave out the curve of the server's EC key where TLS 1.2 may be spoken: in TLS
     * 1.2 the groups a handshake may use also bound the curves of the certificate it may sign with, so a sink with its
     * P-256 key and {@code --tls-groups x25519} failed every 1.2 handshake (handshake_failure), and serve's banner said
     * TLS 1.2 all the same (QA, 2026-12-06). {@code curve} is the key's group name (secp256r1 ...), null for a key that
     * is not EC.
     */
    public static void checkGroups(List<String> groups, TlsVersion only, String curve) {
        if (groups.isEmpty() || curve == null || only == TlsVersion.V1_3
                || groups.stream().anyMatch(g -> g.strip().equalsIgnoreCase(curve))) {
            return;
        }
        // Both ways to an RSA key named: --tls-key is refused beside a --cert and --key (QA review, 2026-12-06)
        throw new IllegalArgumentException("--tls-groups: " + String.join(", ", groups) + (groups.size() == 1 ? " leaves" : " leave")
                + " out " + curve + ", the curve of the server's EC key, and TLS 1.2 signs only with a certificate whose curve"
                + " is among the groups: add " + curve + ", or speak TLS 1.3 alone (--tls 1.3), or use an RSA key (--tls-key"
                + " rsa, or an RSA --cert and --key)");
    }

    /** The standard name of an EC key's curve by its size (P-256 secp256r1, P-384, P-521), or null for another key. */
    public static String ecCurve(Key key) {
        if (!(key instanceof ECKey ec)) {
            return null;
        }
        return switch (ec.getParams().getCurve().getField().getFieldSize()) {
            case 256 -> "secp256r1";
            case 384 -> "secp384r1";
            case 521 -> "secp521r1";
            default -> null;
        };
    }

    /** The server's certificate: what a client of the built-in sink trusts. */
    public X509Certificate certificate() {
        return identity.certificate();
    }

    /** Lays server-side TLS over an accepted socket, not yet handshaken; closing it closes {@code accepted}. */
    public SSLSocket layer(Socket accepted) throws IOException {
        SSLSocket s = (SSLSocket) factory.createSocket(accepted, null, true);
        s.setSSLParameters(parameters);
        s.setUseClientMode(false);
        return s;
    }

    /** A server engine, for a non-blocking server. */
    public SSLEngine engine() {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        e.setSSLParameters(parameters);
        return e;
    }
}
