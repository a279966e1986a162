package dev.churn.bench.config;

import dev.churn.bench.http.HttpRequest;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsKeyType;

/**
 * What a run speaks over TCP: TLS ({@code tls}, null for none) and an HTTP/1.1 request per
 * connection ({@code httpPath}, null for none), and, for the built-in sink, the key of the
 * certificate it makes ({@code sinkKey}) or the identity it is given ({@code sinkIdentity}).
 */
public record Layers(TlsClientConfig tls, String httpPath, TlsKeyType sinkKey, ServerIdentity sinkIdentity) {

    /** Plain TCP: bytes of {@code --request} and {@code --response}. */
    public static final Layers NONE = new Layers(null, null, null, null);

    public Layers {
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
