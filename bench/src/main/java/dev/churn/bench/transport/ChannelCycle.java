package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection cycle on a {@link SocketChannel} in blocking mode. Connect and reads go through the
 * channel's socket adaptor, the only way a blocking channel honours a timeout; writes go to the
 * channel. Not thread-safe: one per thread.
 */
final class ChannelCycle {

    private final ClientPlan plan;
    private final ByteBuffer request;
    private final byte[] buffer;
    private final StandardProtocolFamily family;

    ChannelCycle(ClientPlan plan) {
        this.plan = plan;
        this.request = ByteBuffer.wrap(Payloads.request(plan.requestBytes()));
        this.buffer = new byte[Payloads.readBufferSize(plan.responseBytes())];
        this.family = plan.socket().ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** Runs the ticket's cycle and reports it to {@code cycles} as completed or failed. */
    void run(Cycles cycles, Ticket t) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(family);
            plan.configure(ch);
            if (plan.needsReads()) {
                ch.socket().setSoTimeout(plan.timeoutMillis());
            }
            long c0 = System.nanoTime();
            ch.socket().connect(plan.target(), plan.timeoutMillis());
            long c1 = System.nanoTime();
            if (cycles.wantsConnected()) {
                cycles.connected(t, ch.socket().getLocalPort(), c0, c1);
            }
            long firstByte = -1;
            long w0 = c1;
            if (request.capacity() > 0) {
                w0 = System.nanoTime();
                request.clear();
                while (request.hasRemaining()) {
                    ch.write(request);
                }
            }
            if (plan.responseBytes() > 0) {
                firstByte = Payloads.readResponse(ch.socket().getInputStream(), buffer, plan.responseBytes(), w0);
            }
            long k0 = System.nanoTime();
            if (plan.closer() == Closer.HALF) {
                ch.shutdownOutput();
            }
            if (plan.readsEofBeforeClose()) {
                Payloads.drainToEof(ch.socket().getInputStream(), buffer);
            }
            ch.close();
            long k1 = System.nanoTime();
            cycles.completed(t, c1 - c0, firstByte, k1 - k0, k1);
        } catch (IOException e) {
            Payloads.closeQuietly(ch);
            cycles.failed(t, e);
        }
    }
}
