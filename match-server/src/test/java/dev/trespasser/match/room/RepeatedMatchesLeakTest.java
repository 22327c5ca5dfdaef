package dev.trespasser.match.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One process hosting 200 short matches back to back, each with two real WebSocket players, the
 * way a GameServer is reused: live heap after GC and live threads must stay flat.
 */
class RepeatedMatchesLeakTest {

    private static final int MATCHES = 200;
    private static final int SAMPLE = 20;

    @Test
    void twoHundredMatchesLeaveNoHeapOrThreadsBehind() throws Exception {
        TestKeys keys = new TestKeys();
        MatchServerMetrics metrics = new MatchServerMetrics();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] heap = new long[MATCHES];
        int[] threads = new int[MATCHES];
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        // Matches run 20x faster than real time, so inputs and acks do too.
        try (GameSocketServer server = new GameSocketServer(
                0, keys.verifier(), metrics, EdgeLimits.defaults().withFrameRate(5000, 1000))) {
            server.start();
            RoomConfig config = RoomConfig.defaults()
                    .withBaseSettings(RoomFixture.quickRounds(30, 0))
                    .withTimeScale(20);
            for (int m = 0; m < MATCHES; m++) {
                String matchId = "m-leak-" + m;
                RoomFixture.Recorder recorder = new RoomFixture.Recorder();
                MatchRoom room = MatchRoom.open(RoomFixture.allocation(matchId, 2, 1), config, recorder, metrics);
                server.host(room, TestKeys.SERVER);
                List<BotClient> bots = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    BotClient bot = new BotClient(server.port(), m * 2L + p);
                    bot.join(keys.token("p" + p, matchId));
                    bots.add(bot);
                }
                ScheduledFuture<?> playing =
                        driver.scheduleAtFixedRate(() -> bots.forEach(BotClient::play), 0, 2, TimeUnit.MILLISECONDS);
                assertTrue(recorder.finished.await(20, TimeUnit.SECONDS), "match " + m + " finished");
                playing.cancel(false);
                room.close();
                server.unhost();
                for (BotClient bot : bots) {
                    assertEquals(4010, bot.closeCode(5), "players hear the match is over (match " + m + ")");
                    assertEquals(
                            ErrorReason.ERROR_REASON_MATCH_OVER, bot.error().getReason());
                    assertTrue(bot.matchEnded());
                    bot.closeBlocking();
                }
                assertEquals(1, recorder.rounds.size());
                metrics.matchCompleted();
                awaitNoConnections(server);
                System.gc();
                System.gc();
                heap[m] = memory.getHeapMemoryUsage().getUsed();
                threads[m] = Thread.activeCount();
            }
        } finally {
            driver.shutdownNow();
        }
        long heapFirst = average(heap, 0);
        long heapLast = average(heap, MATCHES - SAMPLE);
        double threadsFirst = averageThreads(threads, 0);
        double threadsLast = averageThreads(threads, MATCHES - SAMPLE);
        System.out.printf(
                "leak check: heap after GC %d KiB (first %d) -> %d KiB (last %d); threads %.1f -> %.1f%n",
                heapFirst / 1024, SAMPLE, heapLast / 1024, SAMPLE, threadsFirst, threadsLast);
        assertTrue(heapLast < heapFirst + 8 * 1024 * 1024, "heap grew: " + heapFirst + " -> " + heapLast);
        assertTrue(threadsLast <= threadsFirst + 2, "threads grew: " + threadsFirst + " -> " + threadsLast);
    }

    private static void awaitNoConnections(GameSocketServer server) throws InterruptedException {
        for (int i = 0; i < 200 && server.connectionCount() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.connectionCount(), "every connection is gone after its match");
    }

    private static long average(long[] values, int from) {
        long sum = 0;
        for (int i = from; i < from + SAMPLE; i++) {
            sum += values[i];
        }
        return sum / SAMPLE;
    }

    private static double averageThreads(int[] values, int from) {
        double sum = 0;
        for (int i = from; i < from + SAMPLE; i++) {
            sum += values[i];
        }
        return sum / SAMPLE;
    }
}
