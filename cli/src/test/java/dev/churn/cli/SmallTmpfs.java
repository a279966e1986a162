package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, to give churn a really full disk: mount it, optionally fill
 * it to a few free kilobytes, and close it (unmounted, in a finally) at the end. Needs root; a test
 * without it is skipped with the reason.
 */
final class SmallTmpfs implements AutoCloseable {

    private static final int PAGE = 4096;

    private final Path mountPoint;

    private SmallTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code kib} KiB on a new folder under {@code parent}. */
    static SmallTmpfs mount(Path parent, int kib) throws IOException, InterruptedException {
        assumeTrue(isRoot(), "mounting a tmpfs needs root");
        Path point = Files.createDirectories(parent.resolve("tmpfs-" + kib + "k"));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", point.toString());
        assumeTrue(rc == 0, "mount -t tmpfs failed (exit " + rc + "): no CAP_SYS_ADMIN here?");
        return new SmallTmpfs(point);
    }

    /** The mounted folder. */
    Path path() {
        return mountPoint;
    }

    /** Fills the file system with a filler file until only {@code freeKib} KiB (whole pages) are free. */
    SmallTmpfs fillLeaving(int freeKib) throws IOException {
        Path filler = mountPoint.resolve("filler");
        long toWrite = Files.getFileStore(mountPoint).getUsableSpace() - freeKib * 1024L;
        try (OutputStream o = Files.newOutputStream(filler)) {
            o.write(new byte[(int) Math.max(0, toWrite)]);
        }
        assertEquals(freeKib * 1024L / PAGE * PAGE, Files.getFileStore(mountPoint).getUsableSpace(), "free space after filling");
        return this;
    }

    /** Remounts the file system read-only: even root can no longer write in it. */
    SmallTmpfs readOnly() throws IOException, InterruptedException {
        int rc = run("mount", "-o", "remount,ro", mountPoint.toString());
        assertEquals(0, rc, "mount -o remount,ro " + mountPoint);
        return this;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        int rc = run("umount", mountPoint.toString());
        if (rc != 0) {
            run("umount", "-l", mountPoint.toString()); // something still holds it: detach it anyway
        }
        Files.deleteIfExists(mountPoint);
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // real, effective, saved, fs: the effective one
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
