package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cgroup's pids limit, as fixtures of both versions: what is left is the tightest of the process's cgroup and its parents. */
class CgroupPidsTest {

    @TempDir
    Path tmp;

    private void write(String path, String text) throws IOException {
        Path f = tmp.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private long left() throws IOException {
        return CgroupPids.tasksLeft(tmp.resolve("proc"), tmp.resolve("root"));
    }

    @Test
    void version2sTightestLimitUpTheTreeIsWhatIsLeft() throws IOException {
        write("proc/self/cgroup", "0::/pod/box\n");
        write("proc/self/mountinfo", "30 23 0:27 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n");
        write("root/sys/fs/cgroup/pids.current", "400\n"); // the root: no pids.max
        write("root/sys/fs/cgroup/pod/pids.max", "1000\n");
        write("root/sys/fs/cgroup/pod/pids.current", "950\n");
        write("root/sys/fs/cgroup/pod/box/pids.max", "max\n");
        write("root/sys/fs/cgroup/pod/box/pids.current", "30\n");
        assertEquals(50, left(), "the pod's limit, which the container's siblings share");

        write("root/sys/fs/cgroup/pod/box/pids.max", "40\n");
        assertEquals(10, left(), "the container's own, tighter");
        write("root/sys/fs/cgroup/pod/box/pids.current", "45\n");
        assertEquals(0, left(), "past a limit lowered under it: none, not a negative count");
    }

    @Test
    void version1sControllerAndNoLimitAtAll() throws IOException {
        write("proc/self/cgroup", "8:pids:/qa\n4:memory:/x\n0::/\n");
        write("proc/self/mountinfo", """
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                40 31 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
                """);
        write("root/sys/fs/cgroup/pids/pids.current", "300\n");
        write("root/sys/fs/cgroup/pids/qa/pids.max", "150\n");
        write("root/sys/fs/cgroup/pids/qa/pids.current", "22\n");
        assertEquals(128, left());
        write("root/sys/fs/cgroup/pids/qa/pids.max", "max\n");
        assertEquals(Long.MAX_VALUE, left());
    }
}
