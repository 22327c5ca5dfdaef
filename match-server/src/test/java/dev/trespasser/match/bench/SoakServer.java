package dev.trespasser.match.bench;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server side of {@link SoakBenchmark}, run in a JVM of its own under the production image's
 * flags: one room of 8 players whose rounds last {@code roundSeconds} of match time, restarted
 * by the players' votes. Prints its port and the players' tokens, then a line per round result
 * and a sample every {@code sampleSeconds} of wall time:
 * {@code sample <seconds> round <n> heap_after_gc_kib <n> rss_kib <n> tick_p99_us <x> ticks <n>}.
 *
 * <p>Arguments: {@code <timeScale> <sampleSeconds> <roundSeconds> <warmupSeconds> <scoreboardSeconds>}.
 */
public final class SoakServer {

    static final int PLAYERS = 8;
    static final String MATCH = "soak";

    private SoakServer() {}

    public static void main(String[] args) throws Exception {
        double timeScale = Double.parseDouble(args[0]);
        int sampleSeconds = Integer.parseInt(args[1]);
        int roundSeconds = Integer.parseInt(args[2]);
        int warmupSeconds = Integer.parseInt(args[3]);
        int scoreboardSeconds = Integer.parseInt(args[4]);

        MatchServerMetrics metrics = new MatchServerMetrics();
        TestKeys keys = new TestKeys();
        // Inputs (60 Hz) and acks (30 Hz) come time-scale times faster when the match runs faster.
        EdgeLimits limits =
                EdgeLimits.defaults().withFrameRate((int) Math.ceil(120 * timeScale), (int) Math.ceil(40 * timeScale));
        GameSocketServer server = new GameSocketServer(0, keys.verifier(), metrics, limits);
        server.start();
        MatchSettings.Flow d = MatchSettings.defaults().flow();
        MatchSettings base = MatchSettings.defaults()
                .withFlow(new MatchSettings.Flow(
                        d.maxPerTeam(),
                        d.killLimit(),
                        d.timeLimitSeconds(),
                        d.friendlyFire(),
                        d.waitingSeconds(),
                        warmupSeconds,
                        d.endingMillis(),
                        scoreboardSeconds,
                        d.reconnectSeconds(),
                        d.restartVotes(),
                        d.minPlayers()));
        // No kill limit within reach: every round lasts its full time. The bots decide when the
        // restarts stop (they stop voting), so the round limit is the director's upper bound.
        MatchAllocation.Builder allocation = MatchAllocation.newBuilder()
                .setMatchId(MATCH)
                .setMode("4v4")
                .setMapName("depot")
                .setRules(MatchRules.newBuilder()
                        .setKillLimit(10_000)
                        .setTimeLimitSeconds(roundSeconds)
                        .setMaxRounds(100));
        for (int i = 0; i < PLAYERS; i++) {
            allocation.addRoster(RosterPlayer.newBuilder()
                    .setPlayerId("bot-" + i)
                    .setTeam(i % 2 == 0 ? RosterTeam.ROSTER_TEAM_RED : RosterTeam.ROSTER_TEAM_BLUE));
        }
        AtomicInteger round = new AtomicInteger(1);
        CountDownLatch finished = new CountDownLatch(1);
        MatchRoom room = MatchRoom.open(
                allocation.build(),
                RoomConfig.defaults().withBaseSettings(base).withTimeScale(timeScale),
                new RoomListener() {
                    @Override
                    public void onRoundEnded(RoundResult result) {
                        System.out.printf(
                                "round %d ended %s %d-%d replay_bytes %d restarting %b%n",
                                result.matchResult().getRound(),
                                result.matchResult().getOutcome(),
                                result.matchResult().getRedKills(),
                                result.matchResult().getBlueKills(),
                                result.replay().length,
                                result.restarting());
                        if (result.restarting()) {
                            round.incrementAndGet();
                        }
                    }

                    @Override
                    public void onRoomFinished() {
                        finished.countDown();
                    }
                },
                metrics);
        server.host(room, TestKeys.SERVER);
        System.out.println("port " + server.port());
        for (int i = 0; i < PLAYERS; i++) {
            System.out.println("token " + keys.tokenWithoutJwtLibrary("bot-" + i, MATCH));
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long started = System.nanoTime();
        HistogramSnapshot.HistogramDataPointSnapshot[] last = {
            MatchServerBenchmark.ticks(metrics.registry().scrape())
        };
        Runnable sample = () -> {
            // A full collection first, so "used" is what is live (the serial collector's System.gc is a full GC).
            System.gc();
            long heap = memory.getHeapMemoryUsage().getUsed();
            HistogramSnapshot.HistogramDataPointSnapshot now =
                    MatchServerBenchmark.ticks(metrics.registry().scrape());
            long ticks = now.getCount() - last[0].getCount();
            double p99 = ticks == 0 ? 0 : MatchServerBenchmark.percentile(last[0], now, 0.99) * 1e6;
            last[0] = now;
            System.out.printf(
                    "sample %d round %d heap_after_gc_kib %d rss_kib %d tick_p99_us %.0f ticks %d%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                    round.get(),
                    heap / 1024,
                    rssKib(),
                    p99,
                    ticks);
        };
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(sample, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
        finished.await();
        sampler.shutdown();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        sample.run();
        System.out.println("finished");
        room.close();
        server.close();
        System.exit(0);
    }

    private static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
