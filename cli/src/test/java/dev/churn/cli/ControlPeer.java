package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A hand-driven peer of {@code churn serve}'s control port, for the tests of what a client that is not churn (or
 * churn altered) may send: it speaks the protocol line by line, as QA's ctl.py did, and sends whatever it is given.
 */
final class ControlPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    ControlPeer(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        raw("CHURN-CONTROL 1\n".getBytes(StandardCharsets.US_ASCII));
        in.readLine(); // the server's greeting
    }

    /** Sends a hello for a session of {@code clients}; the server's answer (welcome or refused). */
    JsonNode hello(String label, int clients) throws IOException {
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("label", label).put("clients", clients)
                .put("startTimeoutMillis", 20_000);
        // A default 'churn serve''s terms, as 'churn run --join' sends them
        hello.putObject("sink").put("request", 0).put("response", 0).put("closer", "client").put("tls", false)
                .put("http", false);
        return send(hello).receive();
    }

    /** Two clock pings, then ready: the session's start, or null when the channel closed. */
    JsonNode ready() throws IOException {
        for (int i = 0; i < 2; i++) {
            send(JSON.createObjectNode().put("type", "ping").put("t0", System.nanoTime())).receive();
        }
        return send(JSON.createObjectNode().put("type", "ready").put("offsetNanos", 0).put("rttNanos", 1000).put("samples", 2))
                .receive();
    }

    /** Joined and ready in a session, its run started: what each hostile client here does before its results. */
    ControlPeer started() throws IOException {
        return send(JSON.createObjectNode().put("type", "started").put("atEpochNanos", System.currentTimeMillis() * 1_000_000));
    }

    /** The results message for these files, then each file; the server's answer, or null when it closed the channel. */
    JsonNode results(Map<String, byte[]> files) throws IOException {
        ObjectNode r = JSON.createObjectNode().put("type", "results").put("exitCode", 0).put("completed", 10);
        files.keySet().forEach(r.putArray("files")::add);
        send(r);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            send(JSON.createObjectNode().put("type", "file").put("name", f.getKey()).put("size", f.getValue().length));
            raw(f.getValue());
        }
        return receive();
    }

    /** A run folder's files by name, as a client sends them. */
    static Map<String, byte[]> filesOf(Path dir, List<String> names) throws IOException {
        Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        for (String n : names) {
            m.put(n, Files.readAllBytes(dir.resolve(n)));
        }
        return m;
    }

    ControlPeer send(ObjectNode message) throws IOException {
        raw((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    void raw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** The next message, or null when the server closed the channel. */
    JsonNode receive() throws IOException {
        String line;
        try {
            line = in.readLine();
        } catch (IOException e) {
            return null; // reset: the server dropped this peer
        }
        return line == null ? null : JSON.readTree(line);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
