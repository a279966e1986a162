package dev.churn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server on a real loopback socket that answers every connection with the same bytes, after the request's first
 * piece: a broken, hostile or unusual HTTP server, as tests need one. It closes after its answer, or holds the
 * connection until the client closes it, as a keep-alive server does. Closing it stops accepting.
 */
final class ScriptedPeer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;

    private ScriptedPeer(ServerSocket server, String answer, boolean holdOpen) {
        this.server = server;
        this.thread = Thread.ofPlatform().daemon().name("scripted-peer").start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[4096]); // the request's first piece is enough
                    OutputStream o = s.getOutputStream();
                    o.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    o.flush();
                    if (holdOpen) {
                        in.readAllBytes(); // until the client's FIN or RST
                    }
                } catch (IOException e) {
                    // the client's reset, or the listener closed at the end
                }
            }
        });
    }

    /** Answers each connection with {@code answer} (ISO-8859-1), then closes it, or holds it open when asked. */
    static ScriptedPeer answering(String answer, boolean holdOpen) throws IOException {
        return new ScriptedPeer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer, holdOpen);
    }

    /** The address churn dials: {@code 127.0.0.1:PORT}. */
    String target() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        thread.join(5000);
    }
}
