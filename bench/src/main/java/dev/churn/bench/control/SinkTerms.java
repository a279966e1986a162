package dev.churn.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.http.Printable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code churn run --join} client and its {@code churn serve} must agree on, each given on its own command line:
 * the bytes each side sends, who closes, TLS and HTTP. A client that differs would measure something else without a
 * word: a --response the server does not send times every cycle out; a shorter one leaves the server's extra bytes
 * unread, so the client's close is an RST and no TIME_WAIT is left; another --closer moves TIME_WAIT to the other side.
 * The client sends its terms in its hello and the server refuses one whose terms differ from its own, naming each.
 *
 * <p>The client's {@code shape} (its --transport, --linger and loop) is not the server's to agree on but the session's:
 * a session merges its clients' runs, and runs of another shape are refused by the merge. Such a client was admitted,
 * ran, and its session was merged "with --force" though nobody gave it (QA, 2026-12-06); now the server refuses a
 * client whose shape differs from the session's first client's ({@link #shapeDifferences}).
 *
 * @param requestBytes  bytes the client sends and the sink reads (not compared with HTTP: the sink reads the head)
 * @param responseBytes bytes the sink answers and the client reads (with HTTP, the body)
 * @param tlsVersion    the TLS version spoken, 1.2 or 1.3; null for either (a server given --tls alone) or unknown. A
 *                      client of 1.2 against a server of 1.3 was admitted and failed every handshake (QA, 2026-12-06)
 * @param shape         the client's run options by name ({@code --transport}, {@code --linger}, {@code loop}); empty
 *                      for a server, or a client that did not send them
 */
public record SinkTerms(int requestBytes, int responseBytes, Closer closer, boolean tls, boolean http, String tlsVersion,
                        Map<String, String> shape) {

    public SinkTerms {
        if (closer == null) {
            throw new IllegalArgumentException("closer must be set");
        }
        shape = Collections.unmodifiableMap(new LinkedHashMap<>(shape)); // in its order: a refusal names them so
    }

    /** Terms with no TLS version named and no shape. */
    public SinkTerms(int requestBytes, int responseBytes, Closer closer, boolean tls, boolean http) {
        this(requestBytes, responseBytes, closer, tls, http, null, Map.of());
    }

    /** A client's run shape, in the order it is named: its transport, linger and loop (closed or open). */
    public static Map<String, String> shape(String transport, String linger, boolean openLoop) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--transport", transport);
        m.put("--linger", linger);
        m.put("loop", openLoop ? "--rate" : "--concurrency"); // an open loop or a closed one
        return m;
    }

    void writeTo(ObjectNode hello) {
        ObjectNode t = hello.putObject("sink");
        t.put("request", requestBytes);
        t.put("response", responseBytes);
        t.put("closer", closer.label());
        t.put("tls", tls);
        t.put("http", http);
        if (tlsVersion != null) {
            t.put("tlsVersion", tlsVersion);
        }
        if (!shape.isEmpty()) {
            ObjectNode s = hello.putObject("shape");
            shape.forEach(s::put);
        }
    }

    /** The terms in a hello; null when it has none (a server with a sink of its own refuses such a client). */
    static SinkTerms readFrom(JsonNode hello) throws ControlProtocolException {
        JsonNode t = hello.get("sink");
        if (t == null || !t.isObject()) {
            return null;
        }
        String label = t.path("closer").asText("");
        Closer c = null;
        for (Closer k : Closer.values()) {
            c = k.label().equals(label) ? k : c;
        }
        if (c == null) {
            throw new ControlProtocolException("a hello with an unknown closer '" + Printable.clip(label) + "'");
        }
        // Clipped as they are read: a refusal names them (shapeDifferences, differences), and they came from the peer.
        Map<String, String> shape = new LinkedHashMap<>();
        hello.path("shape").properties()
                .forEach(e -> shape.put(Printable.clip(e.getKey()), Printable.clip(e.getValue().asText())));
        String version = t.path("tlsVersion").isTextual() ? Printable.clip(t.path("tlsVersion").asText()) : null;
        return new SinkTerms(t.path("request").asInt(), t.path("response").asInt(), c, t.path("tls").asBoolean(),
                t.path("http").asBoolean(), version, shape);
    }

    /**
     * How a client's terms differ from these, the server's, in the options that set them on both commands, e.g.
     * "--response 100 (this server: 0)"; empty when they agree.
     */
    List<String> differences(SinkTerms client) {
        List<String> d = new ArrayList<>();
        if (client.http != http) {
            d.add((client.http ? "--http" : "no --http") + " (this server: " + (http ? "--http" : "none") + ")");
        } else if (!http && client.requestBytes != requestBytes) {
            d.add("--request " + client.requestBytes + " (this server: " + requestBytes + ")");
        }
        if (client.responseBytes != responseBytes) {
            d.add("--response " + client.responseBytes + " (this server: " + responseBytes + ")");
        }
        if (client.closer != closer) {
            d.add("--closer " + client.closer.label() + " (this server: " + closer.label() + ")");
        }
        if (client.tls != tls) {
            d.add((client.tls ? "--tls" : "no --tls") + " (this server: " + (tls ? "--tls" : "none") + ")");
        } else if (tls && tlsVersion != null && client.tlsVersion != null && !tlsVersion.equals(client.tlsVersion)) {
            d.add("--tls " + client.tlsVersion + " (this server: " + tlsVersion + ")");
        }
        return d;
    }

    /**
     * How a later client's shape differs from these, the session's first client's, e.g. "--linger 0 (the first: off)";
     * empty when they agree or either did not say.
     */
    List<String> shapeDifferences(SinkTerms later) {
        List<String> d = new ArrayList<>();
        shape.forEach((k, v) -> {
            String other = later.shape.get(k);
            if (other != null && !other.equals(v)) {
                d.add((k.startsWith("--") ? k + " " + other : other) + " (the first: " + v + ")");
            }
        });
        return d;
    }
}
