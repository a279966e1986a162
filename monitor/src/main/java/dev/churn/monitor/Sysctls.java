package dev.churn.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel settings that decide how connection churn behaves, read from {@code <procRoot>/sys}.
 * Call {@link #read()} (or {@link #read(Path)} for a container's or a fixture's proc root) and keep
 * the map: keys are sysctl names ({@code net.ipv4.tcp_tw_reuse}), values the kernel's text with
 * runs of whitespace made one space ({@code "32768 60999"}); a setting the kernel lacks is absent.
 */
public final class Sysctls {

    /** The settings read, in the order reports list them. */
    public static final List<String> NAMES = List.of(
            "net.ipv4.tcp_tw_reuse",
            "net.ipv4.tcp_tw_reuse_delay",
            "net.ipv4.tcp_timestamps",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_max_tw_buckets",
            // 0 (the default): an RST that reaches a TIME_WAIT socket ends it, so fewer remain than TW counted.
            "net.ipv4.tcp_rfc1337",
            "net.ipv4.tcp_max_syn_backlog",
            "net.core.somaxconn",
            // The size of the socket table every state sample walks (SocketHashTable): negative where it is shared.
            SocketHashTable.SYSCTL);

    private Sysctls() {}

    /** The settings of this machine's network namespace. */
    public static Map<String, String> read() {
        return read(StateSources.DEFAULT_PROC_ROOT);
    }

    /** The settings under this proc root; unreadable or missing ones are left out. */
    public static Map<String, String> read(Path procRoot) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            String v = readOne(procRoot, name);
            if (v != null) {
                values.put(name, v);
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** One setting's value, or null when this kernel (or this proc root) does not have it. */
    public static String readOne(Path procRoot, String name) {
        Path file = procRoot.resolve("sys").resolve(name.replace('.', '/'));
        // Not Files.readString: on JDK 25 it trusts the size procfs reports and returned "4" for "4096".
        try (InputStream in = Files.newInputStream(file)) {
            String v = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip().replaceAll("\\s+", " ");
            return v.isEmpty() ? null : v;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SecurityException e) {
            // Some containers mask /proc/sys; a missing setting is reported as absent, not as a failure.
            return null;
        }
    }

    /** {@code ip_local_port_range}'s text ({@code "32768 60999"}) as {low, high}; null when absent or malformed. */
    public static long[] portRange(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s+");
        if (parts.length != 2) {
            return null;
        }
        try {
            long low = Long.parseLong(parts[0]);
            long high = Long.parseLong(parts[1]);
            return low > 0 && high >= low ? new long[] {low, high} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The most connections a second to one destination that can each take a TIME_WAIT over, once
     * every port connect() searches first holds one: connect() searches every other port of the range
     * first (the other half it leaves to bind()), and takes a TIME_WAIT over only once it is
     * net.ipv4.tcp_tw_reuse_delay old. Past it, connects take ports of the other half, or scan.
     */
    public static long reuseCeilingPerSecond(long ports, long delayMs) {
        return (ports / 2) * 1000 / delayMs;
    }
}
