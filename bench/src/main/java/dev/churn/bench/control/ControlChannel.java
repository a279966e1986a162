package dev.churn.bench.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.http.Printable;
import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.SummaryJson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One end of a control connection ({@link ControlProtocol}): the greeting, then JSON lines and raw
 * file bodies. Reads block up to the timeout last set; every message is flushed as it is sent, since
 * each one is awaited by the other side. Not thread-safe for sending: callers that send from two
 * threads synchronize on the channel.
 */
public final class ControlChannel implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_GREETING = 128;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String peer;

    private ControlChannel(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true); // small messages, each awaited: no Nagle delay on the clock pings
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.peer = hostPort((InetSocketAddress) socket.getRemoteSocketAddress());
    }

    /**
     * Connects to a server's control port and exchanges greetings. ControlProtocolException when the
     * peer is not churn's control port or speaks another version; IOException when it cannot be reached.
     */
    public static ControlChannel connect(InetSocketAddress control, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(control, (int) Math.max(1, timeout.toMillis()));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return greeted(s, timeout, Peer.SERVER);
    }

    /** The server's side of a connection just accepted: greets, then checks the client's greeting. */
    public static ControlChannel accept(Socket s, Duration timeout) throws IOException {
        return greeted(s, timeout, Peer.CLIENT);
    }

    /** Who the other end should be: what a refusal calls it, and what it did instead of greeting. */
    private enum Peer {
        SERVER("churn's control port", "answered"),
        CLIENT("a 'churn run --join' client", "sent");

        final String what;
        final String verb;

        Peer(String what, String verb) {
            this.what = what;
            this.verb = verb;
        }
    }

    // Each side greets first, then reads the other's: neither waits for the other to speak first.
    private static ControlChannel greeted(Socket s, Duration timeout, Peer expected) throws IOException {
        try {
            ControlChannel c = new ControlChannel(s);
            c.readTimeout(timeout);
            c.sendLine(ControlProtocol.greeting());
            c.checkGreeting(timeout, expected);
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The peer as host:port. */
    public String peer() {
        return peer;
    }

    /** The peer's address. */
    public InetSocketAddress remote() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    /** How long a read may wait before it fails with SocketTimeoutException (zero: forever). */
    public void readTimeout(Duration d) throws IOException {
        // Saturated: toMillis() of a huge Duration throws (a hello's timeout plus the silence allowed).
        socket.setSoTimeout(d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0 ? Integer.MAX_VALUE : (int) d.toMillis());
    }

    /** A new message of this type, to fill and {@link #send}. */
    public static ObjectNode message(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    /**
     * True when the peer has sent something not read yet (or the channel failed, for the next read to
     * say how): a look that never blocks.
     */
    public boolean hasUnread() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * True when the peer closed the channel (or it failed), looking for up to {@code waitMillis}: for a client that
     * is to send nothing while it waits (ready, before its start). Anything it did send stays unread for the next
     * {@link #receive}. The read timeout is {@code restore} afterwards.
     */
    public boolean peerClosed(int waitMillis, Duration restore) throws IOException {
        socket.setSoTimeout(Math.max(1, waitMillis));
        try {
            in.mark(1);
            if (in.read() < 0) {
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException e) {
            return false; // nothing came, the channel is open: what a waiting client does
        } catch (IOException e) {
            return true;
        } finally {
            readTimeout(restore);
        }
    }

    /** Sends one message and flushes it. */
    public synchronized void send(ObjectNode message) throws IOException {
        sendLine(JSON.writeValueAsString(message));
    }

    /** Reads the next message; EOFException when the peer closed the channel. */
    public ObjectNode receive() throws IOException {
        String line = readLine(ControlProtocol.MAX_LINE, "message");
        try {
            JsonNode n = JSON.readTree(line);
            if (n instanceof ObjectNode o && o.path("type").isTextual()) {
                return o;
            }
        } catch (JsonProcessingException e) {
            // falls through: not a message
        }
        throw new ControlProtocolException(peer + " sent something that is not a churn control message: " + clip(line));
    }

    /** Reads the next message and checks its type is one of these. */
    public ObjectNode expect(String... types) throws IOException {
        ObjectNode m = receive();
        String type = m.path("type").asText();
        for (String t : types) {
            if (t.equals(type)) {
                return m;
            }
        }
        throw new ControlProtocolException(peer + " sent '" + clip(type) + "' where " + String.join(" or ", types) + " was due");
    }

    /** Sends a file: its header line, then its bytes. */
    public synchronized void sendFile(String name, Path file) throws IOException {
        long size = Files.size(file);
        ObjectNode h = message(ControlProtocol.FILE);
        h.put("name", name);
        h.put("size", size);
        sendLine(JSON.writeValueAsString(h));
        try (InputStream f = Files.newInputStream(file)) {
            long copied = f.transferTo(out);
            if (copied != size) {
                throw new IOException(file + " changed size while it was sent (" + size + " then " + copied + " bytes)");
            }
        }
        out.flush();
    }

    /**
     * Receives the body of a file whose header was just read, into {@code target}: whole, or not there. Written
     * straight to the target, a client that dropped mid-file left a truncated summary.json (38 bytes) that read later as
     * a broken run, and a link already at the target was followed (QA, 2026-12-06); now it goes to a temporary file
     * beside it, renamed into place once complete ({@link AtomicFile}), and an existing target is refused.
     */
    public void receiveFile(ObjectNode header, Path target) throws IOException {
        long size = header.path("size").asLong(-1);
        if (size < 0 || size > ControlProtocol.MAX_FILE) {
            throw new ControlProtocolException(peer + " sent a file of " + size + " bytes (at most " + ControlProtocol.MAX_FILE
                    + " are accepted)");
        }
        byte[] buf = new byte[64 * 1024];
        try (AtomicFile file = AtomicFile.create(target, false)) {
            OutputStream f = file.stream();
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException(peer + " closed the channel " + (size - left) + " bytes into a file of " + size);
                }
                f.write(buf, 0, n);
                left -= n;
            }
            file.commit();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to tell the peer
        }
    }

    private void checkGreeting(Duration timeout, Peer expected) throws IOException {
        String not = peer + " is not " + expected.what + ": ";
        String line;
        try {
            line = readLine(MAX_GREETING, "greeting");
        } catch (SocketTimeoutException e) {
            throw new ControlProtocolException(not + "it said nothing in " + timeout.toSeconds() + " s");
        } catch (EOFException e) {
            throw new ControlProtocolException(not + "it closed the connection without a word");
        } catch (ControlProtocolException e) {
            throw new ControlProtocolException(not + "its first line is not churn's greeting");
        }
        String[] words = line.trim().split(" ");
        if (words.length != 2 || !words[0].equals(ControlProtocol.GREETING)) {
            throw new ControlProtocolException(not + "it " + expected.verb + " '" + clip(line.strip()) + "'");
        }
        if (!words[1].equals(Integer.toString(ControlProtocol.VERSION))) {
            throw new ControlProtocolException(peer + " speaks churn control protocol " + clip(words[1]) + ", this churn speaks "
                    + ControlProtocol.VERSION + ": run the same churn version on both sides");
        }
    }

    private void sendLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // Bytes up to a newline, at most max: a longer line is refused rather than buffered without end.
    private String readLine(int max, String what) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        // The read timeout bounds the whole line, not each byte: a peer that sent a byte a second held a socket and
        // a thread for hours with a 64 KiB line, each read well inside the timeout (QA, 2026-12-06).
        int timeoutMillis = socket.getSoTimeout();
        long start = System.nanoTime();
        while (true) {
            if (timeoutMillis > 0 && System.nanoTime() - start > timeoutMillis * 1_000_000L) {
                throw new SocketTimeoutException(peer + " took longer than " + timeoutMillis + " ms to send a whole " + what);
            }
            int c = in.read();
            if (c < 0) {
                throw new EOFException(peer + " closed the control channel");
            }
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8);
            }
            if (b.size() >= max) {
                throw new ControlProtocolException(peer + " sent a " + what + " longer than " + max + " bytes");
            }
            b.write(c);
        }
    }

    /** A peer's text as every message shows it ({@link Printable}): control characters escaped, at most 60 characters. */
    static String clip(String s) {
        return Printable.clip(s, 60);
    }

    /** host:port as a user types it ({@code [::1]:9001} for IPv6): SummaryJson's own. */
    static String hostPort(InetSocketAddress a) {
        return SummaryJson.hostPort(a);
    }
}
