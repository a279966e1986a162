package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.lab.NetNamespace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The labs that need root refuse without it, for real: the CLI runs in a subprocess as user
 * {@code nobody} (setpriv drops root's uid, gid and groups), which needs root to start and a copy of
 * the class path that {@code nobody} can read.
 */
class LabWithoutRootTest {

    static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    static final String NOBODY = "65534";

    static Path classes;
    static String classPath;

    @BeforeAll
    static void copyTheClassPath() throws IOException {
        assumeTrue(NetNamespace.permitted(), "not root: cannot switch to another user to see the refusal");
        assumeTrue(Files.isExecutable(SETPRIV), "no " + SETPRIV + " (util-linux) to run as nobody");
        // The build's class path is root's (~/.m2 is not readable by others): copy it where nobody can read it.
        classes = Files.createTempDirectory("churn-nobody-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = classes.resolve(n++ + "-" + src.getFileName());
            copy(src, dst);
            entries.add(dst.toString());
        }
        classPath = String.join(File.pathSeparator, entries);
    }

    @AfterAll
    static void removeTheCopy() throws IOException {
        if (classes != null) {
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exhaust", "hosts", "timewait"})
    void withoutRootTheLabSaysSoInOneLineAndExitsTwo(String lab) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path err = classes.resolve(lab + ".err");
        Process p = new ProcessBuilder(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath, "dev.churn.cli.Main", "lab", lab)
                .directory(classes.toFile()).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI did not exit in 60 s");

        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), stderr);
        assertEquals(List.of(), new String(out, StandardCharsets.UTF_8).lines().toList(), "nothing on standard output");
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("churn lab " + lab + ": needs root"), stderr);
    }

    private static void copy(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
