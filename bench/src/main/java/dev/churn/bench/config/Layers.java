package dev.churn.bench.config;

import dev.churn.bench.http.HttpRequest;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsProvider;

/**
 * What a run speaks over TCP: TLS ({@code tls}, null for none) and an HTTP/1.1 request per
 * connection ({@code httpPath}, null for none), and, for the built-in sink, the key of the
 * certificate it makes ({@code sinkKey}) or the identity it is given ({@code sinkIdentity}); and
 * whose cryptography runs under TLS ({@code provider}, null: the JDK's).
 */
public record Layers(TlsClientConfig tls, String httpPath, TlsKeyType sinkKey, ServerIdentity sinkIdentity,
                     TlsProvider provider) {

    /** Plain TCP: bytes of {@code --request} and {@code --response}. */
    public static final Layers NONE = new Layers(null, null, null, null, null);

    /** With the JDK's own cryptography. */
    public Layers(TlsClientConfig tls, String httpPath, TlsKeyType sinkKey, ServerIdentity sinkIdentity) {
        this(tls, httpPath, sinkKey, sinkIdentity, null);
    }

    public Layers {
        if (tls == null && provider != null && provider != TlsProvider.JDK) {
            throw new IllegalArgumentException("--tls-provider needs --tls");
        }
        provider = provider == null ? TlsProvider.JDK : provider;
        if (httpPath != null) {
            HttpRequest.check(httpPath);
        }
        if (tls == null && (sinkKey != null || sinkIdentity != null)) {
            throw new IllegalArgumentException("--tls-key, --cert and --key need --tls");
        }
        if (sinkKey != null && sinkIdentity != null) {
            throw new IllegalArgumentException("--tls-key chooses the key of the certificate churn makes; with --cert and --key "
                    + "the key is the one given");
        }
    }

    /** True when nothing but TCP and raw bytes. */
    public boolean plain() {
        return tls == null && httpPath == null;
    }

    /** The key of the built-in sink's own certificate: the one asked for, else EC. */
    public TlsKeyType sinkKeyOrDefault() {
        return sinkKey == null ? TlsKeyType.EC : sinkKey;
    }
}
