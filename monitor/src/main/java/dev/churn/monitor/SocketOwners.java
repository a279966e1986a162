package dev.churn.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds which process holds a socket inode, by reading the {@code socket:[inode]} links in
 * {@code <procRoot>/<pid>/fd}, as {@code ss -p} does. The scan is the expensive part, so it is
 * reused: call {@link #beginSample()} once per sample, then {@link #owner}; a new scan runs only
 * when an inode is new to the last scan (neither found nor missed by it), at most once per
 * sample, so a socket whose holder we cannot see (another pid namespace) costs one scan, not one
 * per sample. Not thread-safe.
 */
public final class SocketOwners {

    private static final String SOCKET_PREFIX = "socket:[";

    private final Path procRoot;
    private Map<Long, ProcessOwner> byInode = Map.of();
    private Set<Long> missed = new HashSet<>(); // inodes asked for since the last scan, not found by it
    private boolean scannedThisSample;
    private long scans;

    /** Owners as seen under this proc root (normally /proc). */
    public SocketOwners(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** Allows one fresh scan in the coming sample. */
    public void beginSample() {
        scannedThisSample = false;
    }

    /**
     * The process holding this inode, or null when no readable process does (it closed the socket,
     * lives in another pid namespace, or its fd directory is not readable to us). Inode 0 is never
     * owned.
     */
    public ProcessOwner owner(long inode) {
        if (inode == 0) {
            return null;
        }
        ProcessOwner o = byInode.get(inode);
        if (o == null && !scannedThisSample && !missed.contains(inode)) {
            scan();
            o = byInode.get(inode);
        }
        if (o == null) {
            missed.add(inode);
        }
        return o;
    }

    /** Scans run so far: how often the reuse failed. */
    public long scans() {
        return scans;
    }

    private void scan() {
        scannedThisSample = true;
        scans++;
        Map<Long, ProcessOwner> found = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(procRoot)) {
            for (Path dir : pids) {
                long pid = pid(dir.getFileName().toString());
                if (pid > 0) {
                    scanProcess(dir, pid, found);
                }
            }
        } catch (IOException e) {
            // An unreadable proc root leaves every socket unattributed, shown as unknown.
        }
        byInode = found;
        missed = new HashSet<>();
    }

    private static void scanProcess(Path dir, long pid, Map<Long, ProcessOwner> found) {
        ProcessOwner owner = null;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith(SOCKET_PREFIX) && target.endsWith("]")) {
                    long inode = parseLong(target.substring(SOCKET_PREFIX.length(), target.length() - 1));
                    if (inode > 0) {
                        if (owner == null) {
                            owner = new ProcessOwner(pid, command(dir));
                        }
                        // A socket shared by a parent and its child goes to the first pid listed (proc lists them rising).
                        found.putIfAbsent(inode, owner);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended or is not ours to read: its sockets stay unattributed.
        }
    }

    private static String command(Path dir) {
        try (InputStream in = Files.newInputStream(dir.resolve("comm"))) {
            return new String(in.readNBytes(64), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static long pid(String name) {
        return parseLong(name);
    }

    private static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
