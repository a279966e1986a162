package dev.churn.bench.http;

import java.io.IOException;

/**
 * The server's answer was not a whole HTTP/1.x response: a head that is no status line, a bad
 * Content-Length, a head or body cut short by its close, or one past the parser's limits. A failed
 * cycle of its own kind (http_response), apart from a status that is not 2xx (http_status).
 */
public final class HttpResponseException extends IOException {

    public HttpResponseException(String message) {
        super(message);
    }
}
