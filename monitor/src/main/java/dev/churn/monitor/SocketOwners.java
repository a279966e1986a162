package dev.churn.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds which process holds a socket inode, by reading the {@code socket:[inode]} links in
 * {@code <procRoot>/<pid>/fd}, as {@code ss -p} does. The scan is the expensive part, so it is
 * reused: call {@link #beginSample()} once per sample, then {@link #owner}; a new scan runs, at
 * most once per sample, when an inode is new to the last scan (neither found nor missed by it),
 * when the owner the last scan found for an inode has ended ({@code <procRoot>/<pid>} gone), and
 * when the last scan is {@link #MAX_AGE} old. So a socket whose holder we cannot see (another pid
 * namespace) costs one scan per {@code MAX_AGE}, not one per sample.
 *
 * <p>Why the last two: a socket's inode stays when its descriptor passes to another process (a
 * fork whose parent then closes it or exits, SCM_RIGHTS), and a cache checked only for new inodes
 * kept naming a parent that had exited and left its sockets to its child in every later sample
 * (review, 2026-12-07). An ended owner is checked each sample (a stat of {@code /proc/<pid>} per
 * owner met); a living one that let its sockets go cannot be told from the socket table at all, and
 * is found by the next scan, at most {@code MAX_AGE} later. Not thread-safe.
 */
public final class SocketOwners {

    /**
     * How old the last scan may get before a sample scans again: ownership that moved between
     * living processes shows within this. 10 s keeps the scan, whose cost grows with the processes'
     * descriptors (13 ms for 425 of them against 3.4 ms for a sample without it, 2026-12-07; most of
     * the 737 ms first sample at 52,000 sockets over 257 processes, docs/performance.md), to a tenth
     * of the samples at the default 1 s interval; the sampler's CPU budget counts it.
     */
    public static final Duration MAX_AGE = Duration.ofSeconds(10);

    private static final String SOCKET_PREFIX = "socket:[";

    private final Path procRoot;
    private final long maxAgeNanos;
    private Map<Long, ProcessOwner> byInode = Map.of();
    private Set<Long> missed = new HashSet<>(); // inodes asked for since the last scan, not found by it
    private final Map<Long, Boolean> aliveThisSample = new HashMap<>(); // pid -> its /proc/<pid> is there
    private boolean scannedThisSample;
    private long lastScanNanos;
    private long scans;

    /** Owners as seen under this proc root (normally /proc), scanned again at least every {@link #MAX_AGE}. */
    public SocketOwners(Path procRoot) {
        this(procRoot, MAX_AGE);
    }

    /** Owners scanned again at least every {@code maxAge} (tests shorten it). */
    SocketOwners(Path procRoot, Duration maxAge) {
        this.procRoot = procRoot;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Allows one fresh scan in the coming sample. */
    public void beginSample() {
        scannedThisSample = false;
        aliveThisSample.clear();
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
        if (!scannedThisSample && scans > 0 && System.nanoTime() - lastScanNanos >= maxAgeNanos) {
            scan();
        }
        ProcessOwner o = byInode.get(inode);
        if (!scannedThisSample && (o == null ? !missed.contains(inode) : !alive(o.pid()))) {
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

    // Once per pid per sample: a sample meets the same few owners on thousands of rows.
    private boolean alive(long pid) {
        return aliveThisSample.computeIfAbsent(pid, p -> Files.isDirectory(procRoot.resolve(Long.toString(p))));
    }

    private void scan() {
        scannedThisSample = true;
        lastScanNanos = System.nanoTime();
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
