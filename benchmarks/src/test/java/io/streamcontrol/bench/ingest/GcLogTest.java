package io.streamcontrol.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {

    /** Lines as JDK 17's G1 writes them with -Xlog:gc:file=...:timemillis,uptimemillis,level,tags. */
    static final List<String> LOG = List.of(
            "[1796569200105ms][26ms][info][gc] Using G1",
            "[1796569201238ms][1159ms][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 41.596ms",
            "[1796569261611ms][1532ms][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 70M->40M(256M) 8.772ms",
            "[1796569262620ms][2541ms][info][gc] GC(5) Pause Young (Concurrent Start) (G1 Evacuation Pause) 90M->41M(256M) 11.423ms",
            "[1796569262621ms][2543ms][info][gc] GC(6) Concurrent Mark Cycle",
            "[1796569262643ms][2565ms][info][gc] GC(14) To-space exhausted",
            "[1796569262700ms][2600ms][info][gc] GC(6) Pause Remark 50M->48M(256M) 2.100ms",
            "[1796569321611ms][3532ms][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 1G->44M(256M) 12.000ms",
            "[1796569322661ms][2582ms][info][gc] GC(16) Pause Full (G1 Compaction Pause) 62M->7168K(30M) 16.941ms",
            "[1796569330000ms][2590ms][info][gc] GC(6) Concurrent Mark Cycle 45.678ms");

    @Test
    void parsesEveryPauseWithItsHeapAfterGc() {
        List<GcLog.Pause> pauses = GcLog.parse(LOG);
        assertThat(pauses).extracting(GcLog.Pause::id).containsExactly(0L, 1L, 5L, 6L, 7L, 16L);
        assertThat(pauses.get(2)).isEqualTo(new GcLog.Pause(1796569262620L, 5,
                "Pause Young (Concurrent Start) (G1 Evacuation Pause)", 90, 41, 256, 11.423));
        assertThat(pauses.get(4).beforeMb()).isEqualTo(1024);
        assertThat(pauses.get(5).afterMb()).isEqualTo(7);
        assertThat(pauses.get(5).full()).isTrue();
    }

    @Test
    void summarizesTheWindowOnly() {
        List<GcLog.Pause> pauses = GcLog.parse(LOG);
        // the window [61 s, 121 s] after the first line holds GC 1, 5, remark 6 and GC 7 (not 0, not the full GC)
        GcLog.Summary s = GcLog.summarize(pauses, 1796569261000L, 1796569321700L);
        assertThat(s.pauses()).isEqualTo(4);
        assertThat(s.fullPauses()).isZero();
        assertThat(s.pauseMs()).isCloseTo(8.772 + 11.423 + 2.1 + 12.0, within(1e-9));
        assertThat(s.heapAfterFirstMb()).isEqualTo(40);
        assertThat(s.heapAfterLastMb()).isEqualTo(44);
        assertThat(s.heapAfterMaxMb()).isEqualTo(48);
        assertThat(s.heapAfterMinMb()).isEqualTo(40);
        // 40, 41, 48 within a second, 44 a minute later: the least-squares line rises ~1.1 MB/min
        assertThat(s.heapAfterMbPerMinute()).isCloseTo(1.09, within(0.01));
        assertThat(s.pauseShare()).isCloseTo(34.295 / 60_700, within(1e-9));
    }

    @Test
    void anEmptyWindowHasNoTrend() {
        GcLog.Summary s = GcLog.summarize(GcLog.parse(LOG), 0, 1);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.heapAfterMbPerMinute()).isNaN();
        assertThat(IngestReport.heapTrend(s)).isEqualTo("-");
    }

    @Test
    void theOptionWritesWhatIsParsed() {
        assertThat(GcLog.option(Path.of("/tmp/run/gc.log")))
                .isEqualTo("-Xlog:gc:file=/tmp/run/gc.log:timemillis,uptimemillis,level,tags");
    }
}
