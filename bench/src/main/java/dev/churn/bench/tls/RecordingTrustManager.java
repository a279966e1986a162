package dev.churn.bench.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client's trust decision (a PKIX trust manager, or none with {@code --insecure}), noting each
 * socket or engine whose server certificate it checked. A resumed handshake (TLS 1.3 PSK, a 1.2
 * session ID or ticket) sends no certificate, so "was a certificate checked" tells a full handshake
 * from a resumed one through public API only.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final boolean forgetSessions;
    private final Set<Object> checked = ConcurrentHashMap.newKeySet();

    /**
     * Checks with {@code delegate}; null trusts every certificate ({@code --insecure}). With
     * {@code forgetSessions} (no {@code --tls-resume}), each TLS 1.2 session is invalidated while its
     * handshake still runs, so the JDK never caches it: invalidating it at close left a moment in
     * which another connection in flight resumed it. Not a TLS 1.3 one: the JDK caches its tickets
     * as children of the session, and invalidates them with it only if it was still valid when they
     * came.
     */
    RecordingTrustManager(X509ExtendedTrustManager delegate, boolean forgetSessions) {
        this.delegate = delegate;
        this.forgetSessions = forgetSessions;
    }

    /** True when a certificate was checked for this socket or engine since the last call; forgets it. */
    boolean takeChecked(Object socketOrEngine) {
        return checked.remove(socketOrEngine);
    }

    /** How many sockets and engines are noted and not yet taken. */
    int noted() {
        return checked.size();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checked.add(socket);
        if (forgetSessions && socket instanceof SSLSocket ssl) {
            invalidate(ssl.getHandshakeSession());
        }
        if (delegate != null) {
            delegate.checkServerTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checked.add(engine);
        if (forgetSessions && engine != null) {
            invalidate(engine.getHandshakeSession());
        }
        if (delegate != null) {
            delegate.checkServerTrusted(chain, authType, engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (delegate != null) {
            delegate.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("churn's client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("churn's client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("churn's client does not accept client certificates");
    }

    private static void invalidate(SSLSession s) {
        if (s != null && "TLSv1.2".equals(s.getProtocol())) {
            s.invalidate();
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
}
