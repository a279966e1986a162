package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup files of both versions, as fixtures: where the process's cpu controller is and what it counts. */
class CgroupCpuTest {

    @TempDir
    Path tmp;

    private void write(String path, String text) throws IOException {
        Path f = tmp.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    /** A v1 cpu cgroup at this path under the fixture's mount: its cpu.stat, and a quota (-1 for none) per 100 ms. */
    private void v1(String path, String stat, long quotaMicros) throws IOException {
        String dir = "root/sys/fs/cgroup/cpu/" + (path.isEmpty() ? "" : path + "/");
        write(dir + "cpu.stat", stat);
        write(dir + "cpu.cfs_quota_us", quotaMicros + "\n");
        write(dir + "cpu.cfs_period_us", "100000\n");
    }

    @Test
    void version1sCpuControllerIsFoundThroughMountinfo() throws IOException {
        // This VM's layout (hybrid): v1 controllers, the cpu one on its own mount, and an empty v2 line.
        write("proc/self/cgroup", "4:memory:/process_api/b412\n2:cpuacct:/\n1:cpu:/qa-constrained\n0::/\n");
        write("proc/self/mountinfo", """
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
                33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
                """);
        v1("qa-constrained", "nr_periods 106\nnr_throttled 102\nthrottled_time 11850000000\nnr_bursts 0\nburst_time 0\n",
                20_000);
        CgroupCpu c = CgroupCpu.read(tmp.resolve("proc"), tmp.resolve("root"));
        assertEquals(tmp.resolve("root/sys/fs/cgroup/cpu/qa-constrained"), c.dir());
        assertEquals(106, c.periods());
        assertEquals(102, c.throttled());
        assertEquals(11_850_000_000L, c.throttledNanos());
        assertEquals(20_000, c.quotaMicros());

        CgroupCpu.Throttle t = CgroupCpu.between(new CgroupCpu(c.dir(), 0, 0, 0, 20_000, 100_000), c);
        assertEquals(0.2, t.quotaCpus(), 1e-9);
        assertTrue(t.mattered());
        assertEquals("this process's cgroup CPU quota (0.20 of a CPU) throttled it in 102 of 106 scheduling periods (11.85"
                + " s throttled, summed over CPUs): the rates and latencies here are what that quota allows, not what the"
                + " machine does; raise or lift the quota (cpu.max, or a container's CPU limit) to measure the machine",
                t.warning());
        // A quota on a parent (a slice's, a pod's) throttles the process as well: that cgroup is the one read.
        write("proc/self/cgroup", "1:cpu:/slice/box\n0::/\n");
        String none = "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n";
        v1("", none, -1);
        v1("slice", "nr_periods 80\nnr_throttled 60\nthrottled_time 9000000000\n", 30_000);
        v1("slice/box", none, -1);
        CgroupCpu parent = CgroupCpu.read(tmp.resolve("proc"), tmp.resolve("root"));
        assertEquals(tmp.resolve("root/sys/fs/cgroup/cpu/slice"), parent.dir());
        assertEquals(30_000, parent.quotaMicros());
        assertEquals(60, parent.throttled());
        // Moved to another cgroup in between: nothing to say of either.
        assertNull(CgroupCpu.between(new CgroupCpu(tmp, 0, 0, 0, -1, 100_000), c));
    }

    @Test
    void version2sCpuMaxAndMicrosecondsAreRead() throws IOException {
        // A container's own cgroup namespace: its mount's root is its cgroup.
        write("proc/self/cgroup", "0::/\n");
        write("proc/self/mountinfo", "40 30 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        write("root/sys/fs/cgroup/cpu.stat", "usage_usec 5000\nnr_periods 40\nnr_throttled 0\nthrottled_usec 0\n");
        write("root/sys/fs/cgroup/cpu.max", "max 100000\n");
        CgroupCpu none = CgroupCpu.read(tmp.resolve("proc"), tmp.resolve("root"));
        assertEquals(-1, none.quotaMicros());
        CgroupCpu.Throttle quiet = CgroupCpu.between(none, none);
        assertFalse(quiet.mattered());
        assertNull(quiet.warning());

        write("root/sys/fs/cgroup/cpu.stat", "usage_usec 9000\nnr_periods 1040\nnr_throttled 1\nthrottled_usec 2500\n");
        write("root/sys/fs/cgroup/cpu.max", "150000 100000\n");
        CgroupCpu later = CgroupCpu.read(tmp.resolve("proc"), tmp.resolve("root"));
        assertEquals(2_500_000, later.throttledNanos());
        CgroupCpu.Throttle once = CgroupCpu.between(none, later);
        assertEquals(1.5, once.quotaCpus(), 1e-9);
        assertFalse(once.mattered(), "1 of 1,000 periods is below a tenth of a percent");
    }

    @Test
    void aMemoryLimitOfEitherVersionIsReadAndATightOneWarned() throws IOException {
        write("proc/self/cgroup", "4:memory:/qa\n1:cpu:/\n0::/\n");
        write("proc/self/mountinfo", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        write("root/sys/fs/cgroup/memory/qa/memory.limit_in_bytes", "134217728\n");
        assertEquals(128L << 20, CgroupMemory.limitBytes(tmp.resolve("proc"), tmp.resolve("root")));
        assertTrue(CgroupMemory.warning(128L << 20).startsWith("this process's cgroup allows it 128 MiB of memory; a run"));
        assertNull(CgroupMemory.warning(512L << 20));
        assertNull(CgroupMemory.warning(-1));
        // v1 without a limit: a page-rounded Long.MAX_VALUE
        write("root/sys/fs/cgroup/memory/qa/memory.limit_in_bytes", "9223372036854771712\n");
        assertEquals(-1, CgroupMemory.limitBytes(tmp.resolve("proc"), tmp.resolve("root")));
        // v2: "max", or bytes
        write("proc/self/cgroup", "0::/box\n");
        write("proc/self/mountinfo", "40 30 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write("root/sys/fs/cgroup/box/memory.max", "max\n");
        assertEquals(-1, CgroupMemory.limitBytes(tmp.resolve("proc"), tmp.resolve("root")));
        write("root/sys/fs/cgroup/box/memory.max", "67108864\n");
        assertEquals(64L << 20, CgroupMemory.limitBytes(tmp.resolve("proc"), tmp.resolve("root")));
    }

    @Test
    void noCpuControllerIsNone() throws IOException {
        write("proc/self/cgroup", "4:memory:/x\n");
        write("proc/self/mountinfo", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        assertNull(CgroupCpu.read(tmp.resolve("proc"), tmp.resolve("root")));
    }
}
