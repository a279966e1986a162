package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher ({@code ./churn}) finds a JDK by reading each candidate's release file, or asking a
 * java outside a JDK's tree its version. It runs its own {@code java_major} here, as the launcher
 * would, without building anything.
 */
class LauncherTest {

    /**
     * With JAVA_TOOL_OPTIONS set (containers and CI set it), every JVM first says "Picked up
     * JAVA_TOOL_OPTIONS: ..."; reading the version from the first line found none, and the
     * launcher refused to start, saying it needed a JDK 25.
     */
    @ParameterizedTest(name = "JAVA_TOOL_OPTIONS=''{0}''")
    @ValueSource(strings = {"", "-Xss1m"})
    void theJdkVersionIsReadWhateverTheJvmSaysFirst(String toolOptions, @TempDir Path dir) throws Exception {
        // A java outside a JDK's tree (a wrapper script: no release file beside it) is asked its version.
        Path java = dir.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        ProcessBuilder pb = javaMajor(java);
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        if (!toolOptions.isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "java_major ended");
        assertEquals(0, p.exitValue(), out);
        assertEquals(Integer.toString(Runtime.version().feature()), out);
    }

    /** In a JDK's tree the release file answers, and no JVM is started (each start cost 0.1-0.2 s). */
    @ParameterizedTest(name = "JAVA_VERSION=''{0}''")
    @ValueSource(strings = {"26.0.1", "25", "1.8.0_392"})
    void aJdksReleaseFileIsReadWithoutStartingIt(String version, @TempDir Path dir) throws Exception {
        Path jdk = dir.resolve("jdk");
        Path java = jdk.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho 'started' >&2\nexit 1\n");
        assertTrue(java.toFile().setExecutable(true));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
        Process p = javaMajor(java).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "java_major ended");
        assertEquals(version.startsWith("1.8") ? "8" : version.replaceAll("\\..*", ""), out);
        // Through a symbolic link too (/usr/bin/java -> /etc/alternatives/java -> the JDK's).
        Path link = dir.resolve("java");
        Files.createSymbolicLink(link, java);
        Process q = javaMajor(link).redirectErrorStream(true).start();
        assertEquals(out, new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        assertTrue(q.waitFor(30, TimeUnit.SECONDS));
    }

    /** The launcher's own java_major, run by bash on {@code java}. */
    private static ProcessBuilder javaMajor(Path java) {
        return new ProcessBuilder("bash", "-c", "eval \"$(sed -n '/^java_major()/,/^}/p' \"$1\")\" && java_major \"$2\"", "test",
                root().resolve("churn").toString(), java.toString());
    }

    /**
     * A jar built on a dirty tree and then committed, with no source touched since, went on naming the
     * commit before (dirty) in every result; the launcher now rebuilds when the jar's commit is not
     * HEAD's. Its own {@code built_for_another_commit}, run in a scratch repository.
     */
    @Test
    void theJarIsStaleWhenItWasBuiltAtAnotherCommit(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("cli/target/classes/churn-version.properties");
        Files.createDirectories(props.getParent());
        Files.writeString(props, "version=1\ncommit=abc1234\ndirty=false\n");
        assertEquals("no git", builtForAnotherCommit(dir), "no repository: nothing to compare");

        git(dir, "init", "-q");
        Files.writeString(dir.resolve("a"), "a");
        git(dir, "add", "a");
        git(dir, "commit", "-q", "-m", "first");
        String first = git(dir, "rev-parse", "--short", "HEAD");
        Files.writeString(props, "version=1\ncommit=" + first + "\ndirty=false\n");
        assertEquals("current", builtForAnotherCommit(dir));

        Files.writeString(dir.resolve("a"), "b");
        git(dir, "commit", "-q", "-am", "second");
        assertEquals("stale", builtForAnotherCommit(dir), "built at " + first + ", HEAD moved on");

        Files.writeString(props, "version=1\ncommit=${git.commit.id.abbrev}\ndirty=${git.dirty}\n");
        assertEquals("current", builtForAnotherCommit(dir), "built without .git (a source tarball): unknown, kept");
        Files.delete(props);
        assertEquals("current", builtForAnotherCommit(dir), "no properties: nothing to compare");
    }

    /**
     * Two launches at once after a commit (a serve and a run started together) both found the jar stale
     * and both built; Maven's shade step failed when one replaced the jar under the other. The launcher's
     * own {@code build_once}, with the build stubbed (one second, then the jar is fresh), in two shells
     * started together: one builds, the other waits for it and finds nothing left to do.
     */
    @Test
    void twoLaunchesAtOnceBuildOnce(@TempDir Path dir) throws Exception {
        String script = "eval \"$(sed -n '/^die()/p; /^build_if_stale()/,/^}/p; /^build_once()/,/^}/p' \"$1\")\"\n"
                + "root=\"$2\"\n"
                + "stale() { [ ! -f \"$root/fresh\" ]; }\n"
                + "mvn() { :; }\n"
                + "build_jar() { echo \"$$\" >>\"$root/builds\"; sleep 1; touch \"$root/fresh\"; }\n"
                + "build_once\n";
        List<Process> launches = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            launches.add(new ProcessBuilder("bash", "-c", script, "test", root().resolve("churn").toString(), dir.toString())
                    .redirectErrorStream(true).start());
        }
        for (Process p : launches) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended");
            assertEquals(0, p.exitValue(), out);
        }
        assertEquals(1, Files.readAllLines(dir.resolve("builds")).size(), "builds: " + Files.readAllLines(dir.resolve("builds")));
        assertTrue(Files.exists(dir.resolve("cli/target/.build.lock")), "the lock file");
    }

    /**
     * A SIGTERM or SIGINT sent to the launcher while it builds its jar stops the build and the launch, and says so: it
     * waited until Maven had finished, and then the run went ahead (QA, 2026-12-08). The launcher's own
     * {@code build_jar}, with a Maven on the PATH that sleeps 30 s.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalDuringTheBuildStopsItAndTheLaunch(String signal, @TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path jar = Files.createDirectories(dir.resolve("cli/target")).resolve("churn.jar");
        Files.writeString(jar, "half written by the build");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho $$ >\"$MVN_PID\"\nexec sleep 30\n");
        assertTrue(mvn.toFile().setExecutable(true));
        Path mvnPid = dir.resolve("mvn.pid");
        String script = "set -euo pipefail\neval \"$(sed -n '/^die()/p; /^build_jar()/,/^}/p; /^stop_build()/,/^}/p' \"$1\")\"\n"
                + "root=\"$2\"; java_home=/nowhere\n"
                + "build_jar\n"
                + "echo 'the run went ahead'\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "test", root().resolve("churn").toString(), dir.toString())
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("MVN_PID", mvnPid.toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(mvnPid) && !Files.readString(mvnPid).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long build = Long.parseLong(Files.readString(mvnPid).strip());
        Thread.sleep(200); // the launcher is in its wait
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        boolean ended = p.waitFor(5, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        boolean buildStopped = ended && ended(build);
        ProcessHandle.of(build).ifPresent(ProcessHandle::destroyForcibly);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(ended, "the launcher still waited for its build 5 s after the signal: " + out);
        assertEquals(signal.equals("TERM") ? 143 : 130, p.exitValue(), out);
        assertTrue(out.endsWith("churn: stopped while building its jar: nothing ran (the next launch builds it again)"), out);
        assertTrue(buildStopped, "the build was stopped too");
        assertTrue(Files.notExists(jar), "a jar the stopped build may have half written is not left to run");
    }

    /** True once the process is gone or a zombie (its parent, the launcher's subshell, ended first), within 2 s. */
    private static boolean ended(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        for (int i = 0; i < 100; i++) {
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException gone) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /**
     * A tree this user cannot write (another user's checkout): the build's log redirect failed with "Permission denied"
     * and a tail of a missing log (QA, 2026-12-06). With a jar there it runs that one and says so; without, one line and
     * exit 2. The launcher's own {@code build_if_stale}, the jar stale, as nobody (setpriv) when root, in a tree of root's.
     */
    @Test
    void aTreeThisUserCannotWriteRunsTheJarItHasOrSaysWhy() throws Exception {
        boolean root = SmallTmpfs.isRoot();
        Path tree = Files.createTempDirectory(Path.of("/tmp"), "churn-launcher-");
        try {
            Files.createDirectories(tree.resolve("cli/target"));
            for (Path d : List.of(tree, tree.resolve("cli"), tree.resolve("cli/target"))) {
                Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString(root ? "rwxr-xr-x" : "r-xr-xr-x"));
            }
            String functions = new String(new ProcessBuilder("sed", "-n", "/^die()/p; /^build_if_stale()/,/^}/p",
                    root().resolve("churn").toString()).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String script = functions + "root=\"$1\"; jar=\"$root/cli/target/churn.jar\"\n"
                    + "stale() { return 0; }\nbuild_jar() { echo built; }\nbuild_if_stale && echo ran\n";
            List<String> cmd = new ArrayList<>(root ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
                    : List.of());
            cmd.addAll(List.of("bash", "-c", script, "test", tree.toString()));
            Process none = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String noJar = new String(none.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(none.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, none.exitValue(), noJar);
            assertEquals("churn: needs to build its jar, and " + tree + " cannot be written by this user: build it as its owner ('"
                    + tree + "/churn --version'), or set CHURN_JAR to a churn.jar", noJar);

            if (!root) {
                Files.setPosixFilePermissions(tree.resolve("cli/target"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(tree.resolve("cli/target/churn.jar"), "a jar");
            if (!root) {
                Files.setPosixFilePermissions(tree.resolve("cli/target"), java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            }
            Process with = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String withJar = new String(with.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(with.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, with.exitValue(), withJar);
            assertEquals("churn: " + tree + " cannot be written by this user, so its jar is not rebuilt: running the one built"
                    + " before (its results name its commit)\nran", withJar);
        } finally {
            for (Path d : List.of(tree, tree.resolve("cli"), tree.resolve("cli/target"))) {
                Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
            Files.deleteIfExists(tree.resolve("cli/target/churn.jar"));
            Files.delete(tree.resolve("cli/target"));
            Files.delete(tree.resolve("cli"));
            Files.delete(tree);
        }
    }

    /**
     * The comparison scripts pin one copy of the jar (bench/scripts/pin-jar.sh) so that a 40-minute
     * goals run measures one build, however the tree moves meanwhile: with CHURN_JAR the launcher
     * runs that jar as it is and builds nothing; a CHURN_JAR that is not a file is one line and exit 2.
     */
    @Test
    void aPinnedJarRunsAsItIs(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root().resolve("churn").toString(), "--version", "x y");
        pb.environment().put("CHURN_JAR", pinnedJar(dir).toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", "/usr/bin:/bin"); // no mvn needed: nothing may be built
        assertEquals("pinned [--version, x y]", run(pb).lines().filter(l -> !l.startsWith("Picked up")).findFirst().orElse(""));

        pb.environment().put("CHURN_JAR", dir.resolve("gone.jar").toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("churn: CHURN_JAR=") && out.contains("gone.jar is not a file"), out);
    }

    /**
     * Under LANG=C (cron, a bare container) the JVM read arguments and file names as ASCII: {@code --out
     * results/größe} was "Malformed input", exit 2 (QA, 2026-12-06). The launcher runs it in C.UTF-8 instead.
     */
    @Test
    void aCLocaleStillPassesNamesBeyondAscii(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root().resolve("churn").toString(), "--out", "größe");
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_"));
        pb.environment().put("LANG", "C");
        pb.environment().put("CHURN_JAR", pinnedJar(dir).toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", "/usr/bin:/bin");
        assertEquals("pinned [--out, größe]", run(pb).lines().filter(l -> !l.startsWith("Picked up")).findFirst().orElse(""));
    }

    /** A jar whose main class is {@link PinnedProbe}. */
    private static Path pinnedJar(Path dir) throws IOException {
        Path jar = dir.resolve("pinned.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PinnedProbe.class.getName());
        String entry = PinnedProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             var in = LauncherTest.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
        }
        return jar;
    }

    /** What the pinned jar runs: says so, with its arguments. */
    static final class PinnedProbe {
        public static void main(String[] args) {
            System.out.println("pinned " + Arrays.toString(args));
        }
    }

    private static String builtForAnotherCommit(Path fakeRoot) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "eval \"$(sed -n '/^built_for_another_commit()/,/^}/p' \"$1\")\" && root=\"$2\" && "
                        + "if ! git -C \"$root\" rev-parse --git-dir >/dev/null 2>&1 && ! built_for_another_commit; then echo 'no git';"
                        + " elif built_for_another_commit; then echo stale; else echo current; fi",
                "test", root().resolve("churn").toString(), fakeRoot.toString());
        pb.environment().put("GIT_CEILING_DIRECTORIES", fakeRoot.getParent().toString());
        return run(pb);
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.org"));
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd).directory(dir.toFile()));
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended: " + pb.command());
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theLauncherFlagsKeepJmhsUnsafeWarningsOffStderr() throws Exception {
        // JMH's Utils reads field offsets through sun.misc.Unsafe; JDK 24+ then printed four WARNING lines on
        // stderr of every 'churn bench'. A JVM with the launcher's own flags does what JMH does, and says nothing.
        Process p = new ProcessBuilder(withLaunchersFlags(UnsafeProbe.class)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe ended");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("offset \\d+"), out);
    }

    /** A SIGQUIT's thread dump went to stdout, inside a `run --format json > file` (QA, 2026-12-06): stderr now. */
    @Test
    void theLauncherFlagsPutTheJvmsThreadDumpOnStderr() throws Exception {
        Process p = new ProcessBuilder(withLaunchersFlags(QuitProbe.class)).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("{}", out.readLine());
            StringBuffer err = new StringBuffer();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    p.getErrorStream().transferTo(new java.io.OutputStream() {
                        @Override
                        public void write(int b) {
                            err.append((char) b);
                        }
                    });
                } catch (IOException e) {
                    // the probe ended
                }
            });
            new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor();
            // The dump ends with the JVM's count of JNI references: on stderr, or never there (bounded).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!err.toString().contains("JNI global refs") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(err.toString().contains("Full thread dump") && err.toString().contains("JNI global refs"), err::toString);
            p.getOutputStream().close(); // the probe ends at its input's end
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(null, out.readLine(), "nothing but the program's own output on stdout");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Prints its output, then waits for its input to end (the test ends it once the dump is on stderr). */
    static final class QuitProbe {
        public static void main(String[] args) throws IOException {
            System.out.println("{}");
            while (System.in.read() >= 0) {
                // reads until the end
            }
        }
    }

    /** A java command line with the flags the launcher's exec line gives the JVM, running {@code main}. */
    private static List<String> withLaunchersFlags(Class<?> main) throws IOException {
        String launcher = Files.readString(root().resolve("churn"));
        Matcher m = Pattern.compile("exec \"\\$java_bin\" (.*?) \\$\\{CHURN_JAVA_OPTS").matcher(launcher);
        assertTrue(m.find(), "the launcher's exec line");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(m.group(1).split(" ")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return cmd;
    }

    /** What JMH's generated code does first: a field offset through JMH's Utils, that is sun.misc.Unsafe. */
    static final class UnsafeProbe {
        long field;

        public static void main(String[] args) {
            System.out.println("offset " + org.openjdk.jmh.util.Utils.getOffset(UnsafeProbe.class, "field"));
        }
    }

    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("churn")) && Files.isDirectory(d.resolve("cli"))) {
                return d;
            }
        }
        throw new AssertionError("no ./churn above " + Path.of("").toAbsolutePath());
    }
}
