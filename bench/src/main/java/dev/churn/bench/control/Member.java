package dev.churn.bench.control;

import dev.churn.monitor.AddressText;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One client of a session as the server knows it. Fields change as the client goes through the
 * protocol; the session's lock guards them.
 */
public final class Member {

    /** Where a client is in its session. */
    public enum Status {
        JOINED, READY, RUNNING, COMPLETE, LOST;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final String label;
    final int index;
    final InetSocketAddress address;
    Status status = Status.JOINED;
    ClockOffset clock;
    /** The measured part's first instant on the server's clock; 0 until the client says. */
    long startedServerNanos;
    long completed;
    int exitCode = -1;
    Path dir;
    String lostReason;
    /** Sends the session's cancellation, with its reason, down this client's channel. */
    private final Consumer<String> cancelNotice;
    /** Whether this client has been sent the cancellation (it is sent once, by whichever thread comes first). */
    private boolean toldOfCancel;

    /** What it joined with (null: it said nothing), which a later client's shape is held to. */
    SinkTerms terms;
    /**
     * How many clients the session held once this one joined (1 for the first): what its welcome says, "2 of 2". The
     * index counts clients lost before the start as well, and a client told "3 of 2" took it for an error (QA).
     */
    int joined;

    Member(String label, int index, InetSocketAddress address, Consumer<String> cancelNotice) {
        this.label = label;
        this.index = index;
        this.address = address;
        this.cancelNotice = cancelNotice;
    }

    /** True once, for the thread that is to send this client the cancellation. */
    synchronized boolean claimCancelNotice() {
        boolean first = !toldOfCancel;
        toldOfCancel = true;
        return first;
    }

    synchronized boolean toldOfCancel() {
        return toldOfCancel;
    }

    /** Sends the cancellation; a channel that fails is a client already gone, which the notice cannot reach anyway. */
    void noticeCancel(String reason) {
        cancelNotice.accept(reason);
    }

    public String label() {
        return label;
    }

    /** 1-based, in the order of joining. */
    public int index() {
        return index;
    }

    public InetSocketAddress address() {
        return address;
    }

    public String host() {
        return AddressText.literal(address.getAddress());
    }

    public synchronized Status status() {
        return status;
    }

    /** Null until the client has measured it. */
    public synchronized ClockOffset clock() {
        return clock;
    }

    public synchronized long startedServerNanos() {
        return startedServerNanos;
    }

    public synchronized long completed() {
        return completed;
    }

    public synchronized int exitCode() {
        return exitCode;
    }

    /** The folder the server wrote this client's results to; null unless complete. */
    public synchronized Path dir() {
        return dir;
    }

    /** Why the client was lost; null unless lost. */
    public synchronized String lostReason() {
        return lostReason;
    }

    @Override
    public String toString() {
        return label + " from " + host();
    }
}
