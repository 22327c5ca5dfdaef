package dev.trespasser.match.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.bench.SoakBenchmark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak benchmark on a short clock: a server process under match-server/Dockerfile's JVM flags
 * (-Xmx16m, ExitOnOutOfMemoryError) plays 20 rounds of 30 s at 3x speed, joined by restart votes
 * of 8 players sending an input every tick: as many inputs as one 10-minute round. The process
 * must survive, publish every round, and keep its heap after GC bounded and flat.
 */
class RestartedRoundsUnderProductionFlagsTest {

    private static final int ROUNDS = 20;
    private static final long MIB = 1024;

    @Test
    void twentyRestartedRoundsUnderSixteenMebibytesKeepHeapFlat() throws Exception {
        Path classpath = Path.of(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        SoakBenchmark.Report report =
                SoakBenchmark.run(new SoakBenchmark.Plan(ROUNDS, 30, 3, 10, 1, 3), classpath, line -> {});
        String tail = report.output().substring(Math.max(0, report.output().length() - 3_000));
        assertTrue(
                report.flags().contains("-Xmx16m") && report.flags().contains("-XX:+ExitOnOutOfMemoryError"),
                "ran under the image's flags: " + report.flags());
        assertEquals(0, report.exitCode(), "the server process survived every round\n" + tail);
        assertEquals(ROUNDS, report.rounds().size(), "every round's result was produced\n" + tail);
        for (int r = 0; r < ROUNDS; r++) {
            SoakBenchmark.RoundEnd end = report.rounds().get(r);
            assertEquals(r + 1, end.round());
            assertEquals(r < ROUNDS - 1, end.restarting());
            assertTrue(end.replayBytes() > 10_000, "round " + end.round() + " came with its replay");
        }
        List<SoakBenchmark.Sample> samples = report.samples();
        assertFalse(samples.isEmpty());
        long early = averageHeap(samples, 2, 6);
        long late = averageHeap(samples, ROUNDS - 4, ROUNDS);
        System.out.printf(
                "restarted rounds: heap after GC rounds 2-6 %d KiB, rounds %d-%d %d KiB, max %d KiB%n",
                early,
                ROUNDS - 4,
                ROUNDS,
                late,
                samples.stream()
                        .mapToLong(SoakBenchmark.Sample::heapAfterGcKib)
                        .max()
                        .orElseThrow());
        for (SoakBenchmark.Sample s : samples) {
            assertTrue(s.heapAfterGcKib() < 12 * MIB, "heap after GC bounded well under -Xmx16m: " + s);
        }
        assertTrue(late <= early + MIB, "heap after GC flat across rounds: " + early + " -> " + late + " KiB");
    }

    private static long averageHeap(List<SoakBenchmark.Sample> samples, int fromRound, int toRound) {
        return (long) samples.stream()
                .filter(s -> s.round() >= fromRound && s.round() <= toRound)
                .mapToLong(SoakBenchmark.Sample::heapAfterGcKib)
                .average()
                .orElseThrow();
    }
}
