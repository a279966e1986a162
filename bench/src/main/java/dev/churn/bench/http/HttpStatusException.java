package dev.churn.bench.http;

import java.io.IOException;

/** The server answered, but not with a 2xx status: a failed cycle of its own kind. */
public final class HttpStatusException extends IOException {

    private final int status;

    public HttpStatusException(int status, String statusLine) {
        super("HTTP status " + status + ": " + statusLine);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
