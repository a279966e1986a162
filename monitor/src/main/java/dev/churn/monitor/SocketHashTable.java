package dev.churn.monitor;

import java.util.Locale;
import java.util.Optional;

/**
 * The kernel's hash of established and timewait TCP sockets, which every sample walks whole: an inet_diag dump and a
 * read of /proc/net/tcp both go through every bucket, empty or not, and past every socket in it, whatever the port
 * filter. Its size is therefore the least a sample costs: 1.0 ms of CPU a dump on this project's VM with 262,144
 * buckets and no socket on the ports, 0.014 ms with 1,024 (docs/performance.md).
 *
 * <p>{@code net.ipv4.tcp_ehash_entries} (Linux 6.1+) says its size, negative where this network namespace shares the
 * first namespace's table, as every namespace does unless {@code net.ipv4.tcp_child_ehash_entries} was set where it
 * was made: then the walk also passes every other namespace's sockets (another run's 14,000 TIME_WAIT made an empty
 * namespace's sample 2.0-2.6 ms).
 *
 * @param buckets the table's buckets
 * @param shared  true where this namespace shares the first namespace's table (and every other namespace's sockets)
 */
public record SocketHashTable(long buckets, boolean shared) {

    /** The setting that says the size (Linux 6.1+). */
    public static final String SYSCTL = "net.ipv4.tcp_ehash_entries";

    /** Under this many buckets the walk is not worth a word: a few microseconds. */
    static final long WORTH_A_WORD = 65_536;

    /** The table of this setting's text ({@code "-262144"}), empty when absent or malformed. */
    public static Optional<SocketHashTable> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            long v = Long.parseLong(value.strip());
            return v == 0 ? Optional.empty() : Optional.of(new SocketHashTable(Math.abs(v), v < 0));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a sample costs what it does and how to make it cheaper, or empty where a table of its own and few buckets leave
     * nothing to say: then the cost is the sockets on the ports themselves.
     */
    public Optional<String> costHint() {
        if (!shared && buckets < WORTH_A_WORD) {
            return Optional.empty();
        }
        String table = String.format(Locale.ROOT, "%,d buckets here", buckets)
                + (shared ? ", shared with every network namespace on this machine and their sockets" : "");
        return Optional.of("each sample walks the kernel's whole table of established and TIME_WAIT sockets, however few"
                + " sockets the ports hold: " + table + " (" + SYSCTL + " reads " + (shared ? "-" : "") + buckets
                + (shared ? ", the minus for a table not this namespace's own" : "") + "). A longer"
                + " --interval samples less often" + (shared ? "; a network namespace with a table of its own"
                + " (net.ipv4.tcp_child_ehash_entries set before it is made, Linux 6.1+) walks only that, and holds"
                + " half as many TIME_WAIT as it has buckets: docs/performance.md, \"A socket table of its own\"" : ""));
    }
}
