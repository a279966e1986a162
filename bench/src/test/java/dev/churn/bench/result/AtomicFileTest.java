package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFile}, {@link OutputPath} and {@link ResultsDirectory#at} on real files and real symbolic links. */
class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void temporaryNamesAreUnpredictableAndAPlantedLinkIsNeverFollowed() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path out = Files.createDirectory(dir.resolve("out"));
        // The names the old code used, planted as links to the victim.
        Files.createSymbolicLink(out.resolve(".summary.json.tmp"), victim);
        Path target = out.resolve("summary.json");
        try (AtomicFile a = AtomicFile.create(target, false); AtomicFile b = AtomicFile.create(target, false)) {
            assertNotEquals(a.temp(), b.temp(), "two writers of one name get two temporary files");
            assertTrue(a.temp().getFileName().toString().matches("\\.summary\\.json\\.[0-9a-f]{16}\\.tmp"), a.temp().toString());
            // What a reader of a folder a killed run left tells its temporary files by (report).
            assertEquals("summary.json", AtomicFile.targetOf(a.temp()));
            assertEquals(null, AtomicFile.targetOf(out.resolve(".summary.json.tmp")), "not one of ours");
            assertEquals(null, AtomicFile.targetOf(target));
            a.stream().write("mine".getBytes(StandardCharsets.UTF_8));
            a.commit();
        }
        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(target));
        assertEquals("mine", Files.readString(target));
        assertEquals(List.of(".summary.json.tmp", "summary.json"), names(out), "only the planted link and the file");
    }

    @Test
    void anExistingFileOrLinkIsReplacedOnlyWhenAskedAndALinkIsReplacedNotFollowed() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path target = dir.resolve("states.csv");
        Files.createSymbolicLink(target, victim);

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8), false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertTrue(Files.isSymbolicLink(target));

        AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8), true);
        assertFalse(Files.isSymbolicLink(target), "the link itself was replaced");
        assertEquals("new", Files.readString(target));
        assertEquals("precious", Files.readString(victim));
        assertEquals(List.of("states.csv", "victim"), names(dir), "no temporary file left");
    }

    @Test
    void aFailedWriteLeavesNeitherTheFileNorItsTemporaryName() throws IOException {
        ResultsDirectory d = ResultsDirectory.at(dir.resolve("run"));
        IOException e = assertThrows(IOException.class, () -> d.write("summary.json", w -> {
            w.write("half");
            throw new IOException("interrupted");
        }));
        assertEquals("interrupted", e.getMessage());
        assertEquals(List.of(), names(d.path()));
    }

    @Test
    void aFolderHoldingChurnFilesIsRefusedWithoutForceAndEmptiedWithIt() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("latency.hlog"), "mine");
        Files.writeString(out.resolve("states.csv"), "mine too");
        Files.writeString(out.resolve("notes.txt"), "not churn's");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(out));
        assertEquals("--out: " + out + " already holds latency.hlog, states.csv; name another folder, or add --force to replace them",
                e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("latency.hlog")));

        ResultsDirectory.at(out, true);
        assertEquals(List.of("notes.txt"), names(out), "--force: churn's old files go, the user's others stay");
    }

    /**
     * A folder made immutable while a file was written in it (root, chattr): the rename and then the removal of the
     * temporary file are refused, and the error names the file that could not be written, not the temporary one.
     */
    @Test
    void aRenameAndRemovalRefusedNameTheFileNotItsTemporaryName() throws Exception {
        Path out = Files.createDirectory(dir.resolve("frozen"));
        AtomicFile f = AtomicFile.create(out.resolve("latency.hlog"), false);
        f.stream().write("#[StartTime: 0]\n".getBytes(StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", out),
                "needs root and a file system with the immutable attribute (chattr +i)");
        try {
            WriteFailure e = assertThrows(WriteFailure.class, f::commit);
            assertEquals("cannot write " + out.resolve("latency.hlog") + ": Operation not permitted", e.getMessage());
            assertEquals(1, e.getSuppressed().length, "the temporary file's removal, refused too, rides along");
        } finally {
            chattr("-i", out);
        }
        assertFalse(Files.exists(out.resolve("latency.hlog")));
    }

    private static boolean chattr(String flag, Path p) throws Exception {
        try {
            Process pr = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
            pr.getInputStream().readAllBytes();
            return pr.waitFor() == 0;
        } catch (IOException noChattr) {
            return false;
        }
    }

    @Test
    void aFolderAKilledRunLeftIsRefusedWithoutForceAndItsTemporaryFilesGoWithIt() throws IOException {
        Path out = Files.createDirectory(dir.resolve("killed"));
        Path log = Files.write(out.resolve(".latency.hlog.0123456789abcdef.tmp"), new byte[20_926]);
        Path summary = Files.writeString(out.resolve(".summary.json.fedcba9876543210.tmp"), "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(out));
        assertEquals("--out: " + out + " holds only the temporary files of a run that never finished (killed, or the machine"
                + " went down): a partial latency log of 20,926 bytes (.latency.hlog.0123456789abcdef.tmp), no summary.json;"
                + " name another folder, or add --force to replace them", e.getMessage());
        assertTrue(Files.exists(log) && Files.exists(summary), "refused: nothing removed");

        ResultsDirectory.at(out, true);
        assertEquals(List.of(), names(out), "--force: the killed run's files go, so report cannot read them as the new run's");
    }

    @Test
    void outPathsThatAreEmptyLinksOrTheWrongKindAreRefusedInOneLine() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertEquals("--out: empty; name a folder (use . for the current folder)",
                assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(Path.of(""))).getMessage());
        assertEquals("--out: " + link + " is a symbolic link (to " + real + "); churn does not write through links: "
                + "name the real folder", assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(link)).getMessage());
        assertEquals("--out: " + file + " is a file, not a folder",
                assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(file)).getMessage());
        assertEquals("--out: " + real + " is a folder; name a file in it, e.g. " + real.resolve("report.html"),
                assertThrows(IllegalArgumentException.class, () -> OutputPath.checkFile(real, true)).getMessage());
        assertEquals("--out: " + file + " exists; add --force to replace it",
                assertThrows(IllegalArgumentException.class, () -> OutputPath.checkFile(file, false)).getMessage());
        assertEquals(file, OutputPath.checkFile(file, true));
        assertEquals(List.of(), names(real), "nothing written through the link");
        assertTrue(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
