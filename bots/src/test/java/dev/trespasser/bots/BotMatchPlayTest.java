package dev.trespasser.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.bots.account.FrontendClient;
import dev.trespasser.bots.stats.RunStats;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.peers.doubles.LoopbackProxy;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.results.v1.PlayerResult;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bots against the real match-server edge (WebSocket server + MatchRoom in this JVM), with join
 * tokens from the director's signer: whole matches, deliberate drops, restart votes, a server
 * that dies under them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BotMatchPlayTest {

    private final RunStats stats = new RunStats();
    private final RecordingListener listener = new RecordingListener();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
    // The bots under test get their assignments from the test: this channel is never used.
    private final ManagedChannel unusedFrontend =
            NettyChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
    private MatchServerFixture server;

    @BeforeEach
    void startServer() throws Exception {
        server = new MatchServerFixture();
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        ticker.shutdownNow();
        unusedFrontend.shutdownNow();
        server.close();
    }

    private Bot bot(int index, BotBehaviour behaviour, int matches) {
        LoadConfig config = LoadConfig.defaults()
                .withBehaviour(behaviour)
                .withMatchesPerBot(matches)
                .withDuration(Duration.ofMinutes(5));
        FrontendClient frontend = new FrontendClient(unusedFrontend, Clock.systemUTC(), () -> true);
        return new Bot(
                index, config, listener, stats, frontend, ticker, System.nanoTime() + TimeUnit.MINUTES.toNanos(5));
    }

    private List<Future<?>> play(List<Bot> bots, List<Assignment> assignments) {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < bots.size(); i++) {
            Bot b = bots.get(i);
            Assignment a = assignments.get(i);
            running.add(threads.submit(() -> {
                b.play(a);
                return null;
            }));
        }
        return running;
    }

    private static void await(List<Future<?>> running, int seconds) throws Exception {
        for (Future<?> f : running) {
            f.get(seconds, TimeUnit.SECONDS);
        }
    }

    @Test
    void eightBotsPlayAShortMatchToTheEnd() throws Exception {
        List<String> players = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            players.add("player-" + i);
        }
        // Kill limit 5 or 45 s of play at 3x speed (about 15 s of wall time), whichever comes first.
        server.host("m-eight", players, 5, 45, MatchServerFixture.quick(2), 3);
        BotBehaviour calm =
                BotBehaviour.defaults().withDropAndReconnectChance(0).withVoteRestartChance(0);
        List<Bot> bots = new ArrayList<>();
        List<Assignment> assignments = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bots.add(bot(i, calm, 1));
            assignments.add(server.assignment(players.get(i), "m-eight"));
        }
        await(play(bots, assignments), 90);

        assertTrue(server.finished.await(10, TimeUnit.SECONDS), "the room finished");
        assertEquals(1, server.rounds.size());
        RoundResult result = server.rounds.get(0);
        int serverKills = 0;
        for (PlayerResult p : result.matchResult().getPlayersList()) {
            serverKills += p.getKills();
        }
        int botKills = 0;
        for (int i = 0; i < 8; i++) {
            String label = bots.get(i).label();
            List<MatchOutcome> outcomes = listener.outcomes.get(label);
            assertEquals(1, outcomes.size(), label + ": " + listener.events(label));
            MatchOutcome o = outcomes.get(0);
            assertFalse(o.abandoned());
            assertFalse(o.restarting());
            assertEquals(
                    i % 2 == 0 ? "welcome m-eight red" : "welcome m-eight blue",
                    listener.of(label, "welcome").get(0));
            botKills += o.kills();
            assertEquals(outcomes(bots.get(0)).redKills(), o.redKills(), "every bot saw the same score");
            assertEquals(outcomes(bots.get(0)).blueKills(), o.blueKills());
            assertTrue(
                    listener.of(label, "disconnected").isEmpty(),
                    listener.events(label).toString());
        }
        assertEquals(serverKills, botKills, "the bots' scoreboards add up to the server's result");
        assertTrue(listener.errors.isEmpty(), listener.errors.toString());
        assertEquals(8, stats.matchesPlayed.sum());
        assertTrue(stats.inputRoundTrip.count() > 1000, "round trips measured: " + stats.inputRoundTrip.count());
        assertTrue(stats.bytesIn.sum() > 0 && stats.bytesOut.sum() > 0);
        assertEquals(0, stats.malformedFrames.sum());
        System.out.printf(
                "8 bots, one match: %d kills (red %d, blue %d), rtt p50 %s p95 %s, %d snapshots%n",
                serverKills,
                outcomes(bots.get(0)).redKills(),
                outcomes(bots.get(0)).blueKills(),
                stats.inputRoundTrip.percentile(0.5),
                stats.inputRoundTrip.percentile(0.95),
                stats.snapshots.sum());
    }

    private MatchOutcome outcomes(Bot b) {
        return listener.outcomes.get(b.label()).get(0);
    }

    @Test
    void aBotThatDropsOnPurposeRejoinsInItsSlot() throws Exception {
        List<String> players = List.of("alice", "bob");
        server.host("m-drop", players, 50, 20, MatchServerFixture.quick(1), 1);
        BotBehaviour dropper = BotBehaviour.defaults()
                .withDropAndReconnectChance(1)
                .withVoteRestartChance(0)
                .withReconnectDelay(Duration.ofMillis(300));
        List<Bot> bots = List.of(bot(0, dropper, 1), bot(1, dropper, 1));
        await(play(bots, List.of(server.assignment("alice", "m-drop"), server.assignment("bob", "m-drop"))), 60);

        for (int i = 0; i < 2; i++) {
            String label = bots.get(i).label();
            List<String> events = listener.events(label);
            assertEquals(List.of("disconnected 1006"), listener.of(label, "disconnected"), events.toString());
            assertEquals(List.of("reconnected same-slot"), listener.of(label, "reconnected"), events.toString());
            List<String> welcomes = listener.of(label, "welcome");
            assertEquals(2, welcomes.size());
            assertEquals(welcomes.get(0), welcomes.get(1), "same team after the rejoin");
            assertEquals(1, listener.of(label, "ended").size(), "played the match to its end: " + events);
            assertTrue(listener.of(label, "requeued").isEmpty());
        }
        assertEquals(2, stats.reconnects.sum());
        assertEquals(0, stats.slotsLost.sum());
        // Both present at the end: their slots were kept through the drop.
        assertTrue(server.finished.await(10, TimeUnit.SECONDS), "the room finished");
        for (PlayerResult p : server.rounds.get(0).matchResult().getPlayersList()) {
            assertTrue(p.getPresentAtEnd(), p.toString());
        }
    }

    @Test
    void botsThatVoteRestartPlayTheNextRoundOnTheSameServer() throws Exception {
        List<String> players = List.of("carol", "dave");
        server.host("m-vote", players, 50, 4, MatchServerFixture.quick(2), 2);
        BotBehaviour voter =
                BotBehaviour.defaults().withDropAndReconnectChance(0).withVoteRestartChance(1);
        List<Bot> bots = List.of(bot(0, voter, 2), bot(1, voter, 2));
        await(play(bots, List.of(server.assignment("carol", "m-vote"), server.assignment("dave", "m-vote"))), 60);

        for (Bot b : bots) {
            List<MatchOutcome> outcomes = listener.outcomes.get(b.label());
            assertEquals(2, outcomes.size(), listener.events(b.label()).toString());
            assertTrue(outcomes.get(0).restarting(), "both voted: the match restarts");
            assertEquals(1, outcomes.get(0).round());
            assertEquals(2, outcomes.get(1).round());
            assertEquals(1, listener.of(b.label(), "welcome").size(), "the second round is on the same connection");
        }
        // On their last round neither votes: the match closes instead of restarting for nobody.
        assertTrue(server.finished.await(20, TimeUnit.SECONDS), "the room finished after round 2");
        assertEquals(2, server.rounds.size());
        assertTrue(server.rounds.get(0).restarting());
        assertFalse(server.rounds.get(1).restarting(), "nobody voted on their last round");
        assertEquals(2, stats.restarts.sum());
    }

    @Test
    void aBotThatDroppedAndRejoinedStillVotesToRestart() throws Exception {
        List<String> players = List.of("erin", "frank");
        // 45 s of play at 3x speed: the drop (2-10 s into the active phase) falls inside round 1.
        server.host("m-rejoin-vote", players, 50, 45, MatchServerFixture.quick(2), 3);
        BotBehaviour both = BotBehaviour.defaults()
                .withDropAndReconnectChance(1)
                .withVoteRestartChance(1)
                .withReconnectDelay(Duration.ofMillis(300));
        List<Bot> bots = List.of(bot(0, both, 2), bot(1, both, 2));
        await(
                play(
                        bots,
                        List.of(
                                server.assignment("erin", "m-rejoin-vote"),
                                server.assignment("frank", "m-rejoin-vote"))),
                90);

        for (Bot b : bots) {
            List<String> events = listener.events(b.label());
            assertEquals(List.of("reconnected same-slot"), listener.of(b.label(), "reconnected"), events.toString());
            List<MatchOutcome> outcomes = listener.outcomes.get(b.label());
            assertEquals(2, outcomes.size(), events.toString());
            // The server dropped each vote-to-be with its connection; the rejoined connection must vote.
            assertTrue(outcomes.get(0).restarting(), "both rejoined and voted: the match restarts: " + events);
            assertEquals(2, outcomes.get(1).round());
        }
        assertTrue(server.rounds.size() >= 1 && server.rounds.get(0).restarting());
    }

    @Test
    void whenTheMatchServerIsKilledBotsSeeAnAbnormalCloseAndQueueAgain() throws Exception {
        List<String> players = List.of("gina", "hal");
        server.host("m-killed", players, 50, 600, MatchServerFixture.quick(1), 1);
        BotBehaviour b = BotBehaviour.defaults()
                .withDropAndReconnectChance(0)
                .withReconnectAttempts(2)
                .withReconnectDelay(Duration.ofMillis(200));
        List<Bot> bots = List.of(bot(0, b, 1), bot(1, b, 1));
        try (LoopbackProxy proxy = LoopbackProxy.to(server.server.port())) {
            List<Assignment> viaProxy = new ArrayList<>();
            for (String p : players) {
                viaProxy.add(server.assignment(p, "m-killed").toBuilder()
                        .setPort(proxy.port())
                        .build());
            }
            List<Future<?>> running = play(bots, viaProxy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stats.snapshots.sum() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(stats.snapshots.sum() >= 100, "the match is under way");
            proxy.kill();
            await(running, 30);
        }
        for (Bot bot : bots) {
            List<String> events = listener.events(bot.label());
            assertEquals(List.of("disconnected 1006"), listener.of(bot.label(), "disconnected"), events.toString());
            assertTrue(events.get(events.size() - 1).startsWith("requeued "), events.toString());
            assertTrue(listener.of(bot.label(), "reconnected").isEmpty(), "refused: nothing listens any more");
        }
        assertEquals(2, stats.requeues.sum());
    }

    @Test
    void whenTheMatchServerDiesBotsReportItAndQueueAgain() throws Exception {
        List<String> players = List.of("erin", "frank");
        server.host("m-dies", players, 50, 600, MatchServerFixture.quick(1), 1);
        BotBehaviour b = BotBehaviour.defaults()
                .withDropAndReconnectChance(0)
                .withReconnectAttempts(2)
                .withReconnectDelay(Duration.ofMillis(200));
        List<Bot> bots = List.of(bot(0, b, 1), bot(1, b, 1));
        List<Future<?>> running =
                play(bots, List.of(server.assignment("erin", "m-dies"), server.assignment("frank", "m-dies")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stats.snapshots.sum() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(stats.snapshots.sum() >= 100, "the match is under way");
        server.close();
        await(running, 30);

        for (Bot bot : bots) {
            List<String> events = listener.events(bot.label());
            List<String> tail = events.subList(events.size() - 2, events.size());
            assertTrue(tail.get(0).startsWith("disconnected "), events.toString());
            assertTrue(tail.get(1).startsWith("requeued "), events.toString());
            assertTrue(listener.of(bot.label(), "ended").isEmpty());
        }
        assertEquals(2, stats.requeues.sum());
    }
}
