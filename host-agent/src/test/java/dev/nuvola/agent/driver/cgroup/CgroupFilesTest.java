package dev.nuvola.agent.driver.cgroup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.OptionalLong;

import static dev.nuvola.agent.driver.cgroup.CgroupFiles.UNLIMITED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parsing both versions rely on, with the kernel's own formats as text. The v2 files are
 * covered only here: this machine's controllers are all bound to v1 (its {@code unified} mount has
 * none), so there is no real v2 memory or cpu controller to run {@link CgroupDriverTest} against.
 */
class CgroupFilesTest {

    @Test
    void limits() {
        assertThat(CgroupFiles.parseLimit("max\n")).isEqualTo(UNLIMITED);
        assertThat(CgroupFiles.parseLimit("268435456\n")).isEqualTo(268435456L);
        assertThat(CgroupFiles.parseLimit("9223372036854771712")).isEqualTo(9223372036854771712L); // v1 default: capped by the driver
        assertThat(CgroupFiles.parseLimit("-1")).isEqualTo(UNLIMITED);
        assertThatThrownBy(() -> CgroupFiles.parseLimit("lots")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void cpuMax() {
        assertThat(CgroupFiles.CpuMax.parse("max 100000\n")).isEqualTo(new CgroupFiles.CpuMax(UNLIMITED, 100000));
        assertThat(CgroupFiles.CpuMax.parse("150000 100000")).isEqualTo(new CgroupFiles.CpuMax(150000, 100000));
        assertThat(CgroupFiles.CpuMax.parse("max 100000").unlimited()).isTrue();
        assertThatThrownBy(() -> CgroupFiles.CpuMax.parse("150000")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void vcpusRoundUpAndWholeVcpusRoundDown() {
        assertThat(CgroupFiles.vcpus(150000, 100000, 8)).isEqualTo(2);
        assertThat(CgroupFiles.vcpus(100000, 100000, 8)).isEqualTo(1);
        assertThat(CgroupFiles.vcpus(1000, 100000, 8)).isEqualTo(1);
        assertThat(CgroupFiles.vcpus(UNLIMITED, 100000, 8)).isEqualTo(8);
        assertThat(CgroupFiles.vcpus(-1, 100000, 8)).isEqualTo(8);
        assertThat(CgroupFiles.wholeVcpus(150000, 100000, 8)).isEqualTo(1);
        assertThat(CgroupFiles.wholeVcpus(50000, 100000, 8)).isEqualTo(1);
        assertThat(CgroupFiles.wholeVcpus(UNLIMITED, 100000, 8)).isEqualTo(8);
    }

    @Test
    void flatKeyedFiles() {
        String v1 = "cache 151552\nrss 1818624\ninactive_file 143360\ntotal_rss 1818624\ntotal_inactive_file 143361\n";
        assertThat(CgroupFiles.statValue(v1, "inactive_file")).isEqualTo(OptionalLong.of(143360));
        assertThat(CgroupFiles.statValue(v1, "total_inactive_file")).isEqualTo(OptionalLong.of(143361));
        assertThat(CgroupFiles.statValue(v1, "rss_huge")).isEmpty();
        String v2 = "anon 4096\nfile 8192\ninactive_anon 0\nactive_file 4096\ninactive_file 4096\n";
        assertThat(CgroupFiles.statValue(v2, "inactive_file")).isEqualTo(OptionalLong.of(4096));
        assertThat(CgroupFiles.statValue(v2, "file")).isEqualTo(OptionalLong.of(8192));
        String cpuStat = "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\n";
        assertThat(CgroupFiles.statValue(cpuStat, "usage_usec")).isEqualTo(OptionalLong.of(123456));
        assertThat(CgroupFiles.statValue("populated 1\nfrozen 0\n", "populated")).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void hostFiles() {
        assertThat(CgroupFiles.memTotalKiB("MemTotal:       24684084 kB\nMemFree: 1 kB\n"))
                .isEqualTo(OptionalLong.of(24684084));
        assertThat(CgroupFiles.countCpuList("0-1\n")).isEqualTo(2);
        assertThat(CgroupFiles.countCpuList("0-3,8,10-11")).isEqualTo(7);
        assertThat(CgroupFiles.countCpuList("0")).isEqualTo(1);
    }

    @Test
    void reasonsNameTheErrno() {
        assertThat(CgroupFiles.reason(new IOException("Device or resource busy")))
                .isEqualTo("Device or resource busy (EBUSY)");
        assertThat(CgroupFiles.reason(new NoSuchFileException("/x"))).isEqualTo("No such file or directory (ENOENT)");
        assertThat(CgroupFiles.reason(new AccessDeniedException("/x"))).isEqualTo("Permission denied (EACCES)");
        assertThat(CgroupFiles.reason(new IOException("Something else"))).isEqualTo("Something else");
        assertThat(CgroupFiles.isBusy(new IOException("Device or resource busy"))).isTrue();
    }
}
