package dev.churn.bench.control;

/**
 * The words of churn's control channel, the TCP connection between {@code churn serve}'s control
 * port and each {@code churn run --join}. After a greeting line each side sends ({@value #GREETING}
 * and the version, so a peer that is not churn, or another version of it, is told apart at once), the
 * channel carries one compact JSON object per line, each with a {@code type}; a results file is a
 * {@code file} line giving its name and size, followed by exactly that many raw bytes.
 *
 * <pre>
 * client                                server
 *   greeting  ─────────────────────────►  greeting (either side refuses another version)
 *   hello {label, clients, startTimeoutMillis, sink {request, response, closer, tls, http}}
 *                          ◄─────────── welcome {index, clients} | refused {reason, terms}
 *   (its warm-up)                        ◄── cancel {reason}, sent at once if the session is cancelled now
 *   ping {t0} ─────────────────────────► (each ping)  ◄── pong {t0, t1, t2}
 *   ready {offsetNanos, rttNanos}
 *                          ◄─────────── start {atEpochNanos} (server clock) | cancel {reason}
 *   started {atEpochNanos} (own clock) at the gate, again as its measured window begins (the later holds),
 *   progress {completed} once a second
 *   results {files, exitCode}, then file {name, size} + bytes, for each file
 *                          ◄─────────── stored {path}
 * </pre>
 */
public final class ControlProtocol {

    /** The first word of each side's greeting line. */
    public static final String GREETING = "CHURN-CONTROL";
    /** Bumped whenever a message changes meaning; both ends must speak the same one. */
    public static final int VERSION = 1;
    /** Longest JSON line accepted: a message is small; a longer line is not churn speaking. */
    static final int MAX_LINE = 64 * 1024;
    /** Largest results file accepted (a latency log of a long run is tens of MB). */
    static final long MAX_FILE = 1L << 30;
    /**
     * Most files in one results message: a run sends a dozen (summary.json, latency.hlog, states.csv, a .hgrm per phase,
     * report.html, join.json); a client sent 3,003, each a file in the server's folder (QA, 2026-12-06). 64 leaves room
     * for what a later churn adds.
     */
    static final int MAX_FILES = 64;
    /** Ping-pongs per clock offset estimate; the one with the shortest round trip is kept. */
    public static final int CLOCK_SAMPLES = 32;

    // Message types.
    static final String HELLO = "hello";
    static final String WELCOME = "welcome";
    static final String REFUSED = "refused";
    static final String PING = "ping";
    static final String PONG = "pong";
    static final String READY = "ready";
    static final String START = "start";
    static final String CANCEL = "cancel";
    static final String STARTED = "started";
    static final String PROGRESS = "progress";
    static final String RESULTS = "results";
    static final String FILE = "file";
    static final String STORED = "stored";

    private ControlProtocol() {}

    /** The greeting line this churn sends, without its newline. */
    static String greeting() {
        return GREETING + " " + VERSION;
    }
}
