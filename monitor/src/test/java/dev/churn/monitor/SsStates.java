package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks iproute2's {@code ss} for the TCP states on one port, so tests can hold a source up against
 * the tool operators trust. Check {@link #available()} first (skip with a reason when false), then
 * compare {@link #count(int)} with the source's count for {@link SocketFilter#ports(int...)}.
 */
public final class SsStates {

    /** ss's column-one names (misc/ss.c sstate_name) for the kernel's states. */
    private static final Map<String, TcpState> NAMES = Map.ofEntries(
            Map.entry("ESTAB", TcpState.ESTABLISHED),
            Map.entry("SYN-SENT", TcpState.SYN_SENT),
            Map.entry("SYN-RECV", TcpState.SYN_RECV),
            Map.entry("FIN-WAIT-1", TcpState.FIN_WAIT1),
            Map.entry("FIN-WAIT-2", TcpState.FIN_WAIT2),
            Map.entry("TIME-WAIT", TcpState.TIME_WAIT),
            Map.entry("UNCONN", TcpState.CLOSE),
            Map.entry("CLOSE-WAIT", TcpState.CLOSE_WAIT),
            Map.entry("LAST-ACK", TcpState.LAST_ACK),
            Map.entry("LISTEN", TcpState.LISTEN),
            Map.entry("CLOSING", TcpState.CLOSING));

    private static final long TIMEOUT_SECONDS = 10;
    private static volatile Boolean available;

    private SsStates() {}

    /** True when an {@code ss} binary runs here (probed once). */
    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            try {
                a = run(List.of("ss", "-V")).contains("iproute2");
            } catch (IOException e) {
                a = false;
            }
            available = a;
        }
        return a;
    }

    /**
     * Runs {@code ss -tan state all '( sport = :P or dport = :P )'}: TCP sockets of both families in
     * every state whose local or remote port is {@code port}, and counts them per state.
     */
    public static StateCounts count(int port) throws IOException {
        String filter = "( sport = :" + port + " or dport = :" + port + " )";
        return parse(run(List.of("ss", "-tan", "state", "all", filter)));
    }

    /**
     * One socket as {@code ss -tanoi} shows it: its state and ports, tcp_info's
     * {@code lastrcv:} (ms; -1 when ss printed none, as it does for 0 and for sockets without
     * tcp_info) and the timewait timer of {@code timer:(timewait,...)} (ms, ss's precision; -1
     * without one).
     */
    public record SsSocket(TcpState state, int localPort, int remotePort, long lastRcvMillis, long timewaitMillis) {}

    private static final java.util.regex.Pattern LASTRCV = java.util.regex.Pattern.compile("\\blastrcv:(\\d+)");
    private static final java.util.regex.Pattern TIMEWAIT = java.util.regex.Pattern.compile("timer:\\(timewait,([^,]+),");
    private static final java.util.regex.Pattern MS_TIMER =
            java.util.regex.Pattern.compile("(?:(\\d+)min)?(?:(\\d+)(?:sec|\\.))?(?:(\\d+)ms)?");

    /**
     * Runs {@code ss -tanoi state all '( sport = :P or dport = :P )'} and returns its sockets: a
     * socket's line, then a line indented by a tab with its tcp_info.
     */
    public static List<SsSocket> sockets(int port) throws IOException {
        String filter = "( sport = :" + port + " or dport = :" + port + " )";
        return parseSockets(run(List.of("ss", "-tanoi", "state", "all", filter)));
    }

    /** The sockets of {@code ss -tanoi} output (see {@link #sockets}). */
    public static List<SsSocket> parseSockets(String output) {
        List<SsSocket> out = new java.util.ArrayList<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || Character.isWhitespace(line.charAt(0)) || line.startsWith("State")) {
                continue;
            }
            String[] f = line.strip().split("\\s+");
            String info = line + (i + 1 < lines.length && !lines[i + 1].isEmpty()
                    && Character.isWhitespace(lines[i + 1].charAt(0)) ? lines[i + 1] : "");
            java.util.regex.Matcher rcv = LASTRCV.matcher(info);
            java.util.regex.Matcher tw = TIMEWAIT.matcher(info);
            out.add(new SsSocket(state(f[0]), portOf(f[3]), portOf(f[4]),
                    rcv.find() ? Long.parseLong(rcv.group(1)) : -1, tw.find() ? msTimer(tw.group(1)) : -1));
        }
        return out;
    }

    /** ss's print_ms_timer text ({@code 1min}, {@code 59sec}, {@code 9.500ms}, {@code 320ms}) in ms. */
    static long msTimer(String text) {
        java.util.regex.Matcher m = MS_TIMER.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("not an ss timer: '" + text + "'");
        }
        return 60_000L * digits(m.group(1)) + 1_000L * digits(m.group(2)) + digits(m.group(3));
    }

    private static long digits(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static int portOf(String endpoint) {
        String p = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        return p.equals("*") ? 0 : Integer.parseInt(p);
    }

    /**
     * Counts the states in ss's table output: the first word of each line, the header line
     * ({@code State Recv-Q ...}) and blank lines skipped.
     */
    public static StateCounts parse(String output) {
        StateCounts.Builder b = new StateCounts.Builder();
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            String first = space < 0 ? trimmed : trimmed.substring(0, space);
            if (first.equals("State")) {
                continue;
            }
            b.add(state(first));
        }
        return b.build();
    }

    /** The state for one of ss's names ({@code ESTAB}, {@code FIN-WAIT-2}, {@code UNCONN}, ...). */
    public static TcpState state(String ssName) {
        TcpState s = NAMES.get(ssName);
        if (s == null) {
            throw new IllegalArgumentException("ss state '" + ssName + "' is not one of " + NAMES.keySet());
        }
        return s;
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }
}
