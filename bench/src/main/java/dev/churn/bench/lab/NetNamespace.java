package dev.churn.bench.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

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
    /**
     * Held while a namespace is made, and by the shutdown hook while it removes them: Ctrl-C during an {@code ip netns
     * add} left that namespace behind, its name not yet in LIVE when the hook looked (2 of 20 Ctrl-Cs of {@code churn
     * lab timewait}, QA 2026-12-07). The hook waits for the one being made, and nothing is made after it.
     */
    private static final ReentrantLock MAKING = new ReentrantLock();
    /** Set by the shutdown hook, under MAKING: the namespaces are being removed, so no new one is made. */
    private static volatile boolean removing;
    /** False when the JVM was already shutting down as this class loaded (an early Ctrl-C): none is made then. */
    private static final boolean HOOKED;

    static {
        // One hook, in order: the hosts running in namespaces stop first (clients, then servers), and
        // only then do the namespaces go. Two hooks would run at once, and a client whose network
        // vanished mid-run would count "Network is unreachable" and could end without its results.
        boolean hooked;
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("churn-lab-cleanup").unstarted(() -> {
                HostProcess.stopAll();
                removeAll();
            }));
            hooked = true;
        } catch (IllegalStateException shuttingDown) {
            // A Ctrl-C before the lab's first namespace: the class's loading threw ExceptionInInitializerError, a stack
            // trace on the terminal (QA, 2026-12-07). Nothing is made now, so nothing needs removing.
            hooked = false;
        }
        HOOKED = hooked;
    }

    private static void removeAll() {
        boolean locked = false;
        try {
            // An `ip netns add` runs in a session of its own (ip()), so the terminal's Ctrl-C does not cut it short: it
            // ends within its 10 s, and the namespace it made is removed with the others.
            locked = MAKING.tryLock(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            removing = true;
            for (String name : LIVE) {
                delete(name);
            }
        } finally {
            if (locked) {
                MAKING.unlock();
            }
        }
    }

    private final String name;

    private NetNamespace(String name) {
        this.name = name;
    }

    /**
     * Removes the lab namespaces whose churn has ended without removing them: no hook runs on SIGKILL (a CI timeout, the
     * OOM killer), and a {@code lab hosts} killed so left its 3 namespaces in /run/netns for good (2026-12-07). Their
     * name carries the pid that made them; one whose pid still runs is kept, as it may be another lab's at work.
     */
    private static void removeOrphans() {
        List<String> names;
        try {
            names = existing();
        } catch (IOException e) {
            return; // ip netns list failed: what cannot be listed is left, and the lab itself will say what failed
        }
        for (String n : names) {
            long pid = pidOf(n);
            if (pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                delete(n);
            }
        }
    }

    /** The pid in a lab namespace's name ({@code churn-lab-<pid>-<n>}), or -1. */
    private static long pidOf(String name) {
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Creates a namespace and brings its loopback up. */
    public static NetNamespace create() throws IOException {
        removeOrphans(); // one `ip netns list` beside the two ip commands that make it
        String name = PREFIX + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        MAKING.lock();
        try {
            if (!HOOKED || removing) {
                throw new IOException("stopped by Ctrl-C or SIGTERM: no lab namespace is made while churn stops");
            }
            // Named before it is made: a hook that runs once this lock is free removes it, whatever ip got done.
            LIVE.add(name);
            try {
                ip("netns", "add", name);
            } catch (IOException | RuntimeException e) {
                delete(name); // a half-made one (its file in /run/netns, not mounted) goes too
                LIVE.remove(name);
                throw e;
            }
        } finally {
            MAKING.unlock();
        }
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
        List<String> cmd = command(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(shown(cmd) + ": no answer in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(shown(cmd) + ": interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(shown(cmd) + " failed: " + out.strip());
        }
        return out;
    }

    /**
     * The ip command to run: in a session of its own where setsid(1) is there ({@code -w}: it waits for ip, should it
     * have to fork), so a Ctrl-C at the terminal reaches churn alone and never kills ip halfway through making or
     * removing a namespace (a killed {@code ip netns add} left a file of mode 000 in /run/netns, and {@code ip netns
     * list} then failed on it; QA, 2026-12-07).
     */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of(HostProcess.SETSID))) {
            cmd.addAll(List.of(HostProcess.SETSID, "-w"));
        }
        cmd.add("ip");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The command as an error names it: the ip command, without setsid. */
    private static String shown(List<String> cmd) {
        return String.join(" ", cmd.subList(cmd.indexOf("ip"), cmd.size()));
    }
}
