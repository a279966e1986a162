package dev.churn.bench.engine;

import dev.churn.bench.http.HttpResponseException;
import dev.churn.bench.http.HttpStatusException;
import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Why a connection cycle failed, as the kernel's errno would say it. */
public enum FailureKind {
    /** No free local port for this destination: ephemeral ports exhausted (often by TIME_WAIT). */
    EADDRNOTAVAIL,
    /**
     * The local address to bind is taken (bind(2) EADDRINUSE): with {@code --bind-ports}, every port
     * of the range held, by a listener, a connection or, without SO_REUSEADDR, a TIME_WAIT.
     */
    EADDRINUSE,
    /** Nothing listening, or the listener's queue refused us. */
    ECONNREFUSED,
    /** The peer reset the connection (RST). */
    ECONNRESET,
    /** The process ran out of file descriptors. */
    EMFILE,
    /** The connect or a read did not finish in time. */
    TIMEOUT,
    /** The TLS handshake failed: no common group or suite, a peer that does not speak TLS, an alert. */
    TLS_HANDSHAKE,
    /** The server's certificate was rejected: untrusted, expired, or not naming the host dialled. */
    TLS_CERTIFICATE,
    /** The peers share no TLS version. */
    TLS_VERSION,
    /** An HTTP response whose status was not 2xx ({@code --http}). */
    HTTP_STATUS,
    /**
     * An answer that was not a whole HTTP/1.x response ({@code --http}): no status line, a bad
     * Content-Length, cut short by the server's close, past the parser's limits. Since 2026-12-05;
     * before, {@code other}.
     */
    HTTP_RESPONSE,
    /**
     * A connect that reached its own socket ({@link SelfConnectException}): a loopback target port inside the
     * ephemeral range (or inside {@code --bind-ports}) with nothing listening. Since 2026-12-07; before, such a cycle
     * counted as completed.
     */
    SELF_CONNECT,
    /**
     * Still in flight long after the run stopped starting cycles, past every timeout of its steps:
     * given up on, so the results need not wait for it ({@link UnfinishedCycleException}).
     */
    UNFINISHED,
    /** Anything else; the first message is kept. */
    OTHER;

    /**
     * True when the client ran short of its own descriptors or local ports: the next connect fails the
     * same way until one is given back, so a closed loop pauses before it ({@link ShortageBackoff}).
     */
    public boolean localShortage() {
        return this == EMFILE || this == EADDRNOTAVAIL || this == EADDRINUSE;
    }

    /** Lower-case name for JSON keys. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies an exception from the JDK's socket code. The JDK maps errno to exception types
     * and messages (sun.nio.ch.Net, NioSocketImpl), so messages are part of the contract here.
     */
    public static FailureKind classify(Throwable t) {
        if (t instanceof ErrnoException e) {
            return ofErrno(e.errno());
        }
        if (t instanceof SelfConnectException) {
            return SELF_CONNECT;
        }
        if (t instanceof HttpStatusException) {
            return HTTP_STATUS;
        }
        if (t instanceof HttpResponseException) {
            return HTTP_RESPONSE;
        }
        if (t instanceof UnfinishedCycleException) {
            return UNFINISHED;
        }
        if (t instanceof SSLException ssl) {
            return ofTls(ssl);
        }
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("too many open files")) {
            return EMFILE;
        }
        if (t instanceof SocketTimeoutException || m.contains("timed out")) {
            return TIMEOUT;
        }
        if (m.contains("cannot assign requested address")) {
            return EADDRNOTAVAIL;
        }
        // The JDK words EADDRINUSE so for bind and connect alike (BindException, or a plain
        // SocketException from some paths): the message is the errno's strerror.
        if (m.contains("address already in use")) {
            return EADDRINUSE;
        }
        if (t instanceof ConnectException && m.contains("refused")) {
            return ECONNREFUSED;
        }
        if (m.contains("connection reset") || m.contains("broken pipe")) {
            return ECONNRESET;
        }
        if (t instanceof NoRouteToHostException || t instanceof ClosedByInterruptException || !(t instanceof IOException)) {
            return OTHER;
        }
        return OTHER;
    }

    /**
     * The kind of a TLS failure. The JDK's SSLHandshakeException carries the alert or the reason in
     * its message and, for a rejected certificate, a CertificateException as its cause.
     */
    static FailureKind ofTls(SSLException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertificateException || c instanceof CertPathValidatorException) {
                return TLS_CERTIFICATE;
            }
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("protocol_version") || m.contains("protocol version") || m.contains("no appropriate protocol")) {
            return TLS_VERSION;
        }
        if (m.contains("certificate") && (m.contains("unknown") || m.contains("bad") || m.contains("expired"))) {
            return TLS_CERTIFICATE;
        }
        // A reset or a timeout inside the handshake is still a reset or a timeout.
        if (m.contains("connection reset") || m.contains("broken pipe")) {
            return ECONNRESET;
        }
        if (m.contains("timed out")) {
            return TIMEOUT;
        }
        return TLS_HANDSHAKE;
    }

    /** The kind of a system call's errno (the {@code raw} transport's failures). */
    public static FailureKind ofErrno(int errno) {
        return switch (errno) {
            case Errno.EADDRNOTAVAIL -> EADDRNOTAVAIL;
            case Errno.EADDRINUSE -> EADDRINUSE;
            case Errno.ECONNREFUSED -> ECONNREFUSED;
            case Errno.ECONNRESET, Errno.EPIPE -> ECONNRESET;
            case Errno.EMFILE, Errno.ENFILE -> EMFILE;
            // SO_SNDTIMEO ends a blocking connect with EINPROGRESS, SO_RCVTIMEO a read with EAGAIN.
            case Errno.EINPROGRESS, Errno.EAGAIN, Errno.ETIMEDOUT -> TIMEOUT;
            default -> OTHER;
        };
    }
}
