package dev.churn.bench.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private network namespace named {@code churn-lab-<pid>-<n>} with loopback up, removed by
 * {@link #close} and, should the JVM stop first (Ctrl-C), by a shutdown hook. Its sysctls are its
 * own, so the lab changes them here and never on the host. Needs root.
 * Use: {@code try (NetNamespace ns = NetNamespace.create()) { ns.sysctl(...); ns.call(() -> ...); }}
 */
public final class NetNamespace implements AutoCloseable {

    /** Every lab namespace's name starts with this, so leftovers can be found. */
    public static final String PREFIX = "churn-lab-";

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // One hook, in order: the hosts running in namespaces stop first (clients, then servers), and
        // only then do the namespaces go. Two hooks would run at once, and a client whose network
        // vanished mid-run would count "Network is unreachable" and could end without its results.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("churn-lab-cleanup").unstarted(() -> {
            HostProcess.stopAll();
            for (String name : LIVE) {
                delete(name);
            }
        }));
    }

    private final String name;

    private NetNamespace(String name) {
        this.name = name;
    }

    /** Creates a namespace and brings its loopback up. */
    public static NetNamespace create() throws IOException {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        ip("netns", "add", name);
        LIVE.add(name);
        NetNamespace ns = new NetNamespace(name);
        try {
            ip("-n", name, "link", "set", "lo", "up");
            return ns;
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** True when this process may create namespaces (effective uid 0). */
    public static boolean permitted() {
        try {
            return permitted(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Root with CAP_SYS_ADMIN (ip netns add mounts /run/netns) and CAP_NET_ADMIN (links, addresses): root in a container
     * without them passed a check of the uid alone and failed deep inside, "mount --make-shared /run/netns failed:
     * Operation not permitted", exit 1 (QA, 2026-12-06). {@code status}: the lines of /proc/self/status.
     */
    static boolean permitted(List<String> status) {
        boolean root = false;
        long caps = -1;
        for (String line : status) {
            if (line.startsWith("Uid:")) {
                root = line.split("\\s+")[2].equals("0");
            } else if (line.startsWith("CapEff:")) {
                caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
            }
        }
        long needed = (1L << CAP_NET_ADMIN) | (1L << CAP_SYS_ADMIN);
        return root && (caps < 0 || (caps & needed) == needed);
    }

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    /** The names of lab namespaces that exist now ({@code ip netns list}). */
    public static List<String> existing() throws IOException {
        return ip("netns", "list").lines().map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(PREFIX)).toList();
    }

    /** This namespace's name. */
    public String name() {
        return name;
    }

    /** Runs the task on a platform thread that has entered this namespace; its sockets live here. */
    public <T> T call(Callable<T> task) throws IOException {
        return InNamespace.call(name, task);
    }

    /** Sets a sysctl under /proc/sys/net in this namespace only, e.g. ("net.ipv4.tcp_tw_reuse", "0"). */
    public void sysctl(String key, String value) throws IOException {
        Path p = Path.of("/proc/sys", key.replace('.', '/'));
        call(() -> {
            // /proc/sys/net is resolved in the opener's namespace: this thread's.
            // One write(2) at offset 0: the kernel parses sysctl writes per call.
            try (var o = new java.io.FileOutputStream(p.toFile())) {
                o.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            // And one read(2): sysctl files answer nothing at a non-zero offset (Files.readAllBytes reads 1 byte first).
            byte[] buf = new byte[256];
            int n;
            try (var in = new java.io.FileInputStream(p.toFile())) {
                n = Math.max(0, in.read(buf));
            }
            String back = new String(buf, 0, n, StandardCharsets.US_ASCII).strip().replaceAll("\\s+", " ");
            if (!back.equals(value.strip().replaceAll("\\s+", " "))) {
                throw new IOException(key + " reads back " + back + " after writing " + value);
            }
            return null;
        });
    }

    @Override
    public void close() {
        delete(name);
        LIVE.remove(name);
    }

    private static void delete(String name) {
        try {
            ip("netns", "del", name);
        } catch (IOException e) {
            // already gone, or ip failed: existing() shows what is left
        }
    }

    static String ip(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }
}
