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
