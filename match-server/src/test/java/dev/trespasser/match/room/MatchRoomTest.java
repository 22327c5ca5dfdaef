package dev.trespasser.match.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.wire.MapGeometryCodec;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.sim.Replay;
import dev.trespasser.match.sim.ReplayCodec;
import dev.trespasser.match.sim.ReplayRunner;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.RosterEntry;
import dev.trespasser.proto.game.v1.Welcome;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MatchRoomTest {

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private GameSocketServer server;
    private ScheduledExecutorService driver;

    @BeforeEach
    void startServer() throws Exception {
        // Rounds run 4x faster than real time: so do inputs and acks.
        server = new GameSocketServer(
                0, keys.verifier(), metrics, EdgeLimits.defaults().withFrameRate(1000, 200));
        server.start();
        driver = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopServer() {
        driver.shutdownNow();
        server.close();
    }

    @Test
    void restartVotesStartANewRoundThenTheRoomFinishes() throws Exception {
        RoomFixture.Recorder recorder = new RoomFixture.Recorder();
        RoomConfig config = RoomConfig.defaults()
                .withBaseSettings(RoomFixture.quickRounds(30, 1))
                .withTimeScale(4);
        try (MatchRoom room = MatchRoom.open(RoomFixture.allocation("m-votes", 2, 2), config, recorder, metrics)) {
            server.host(room, TestKeys.SERVER);
            BotClient red = new BotClient(server.port(), 1).voting(true);
            BotClient blue = new BotClient(server.port(), 2).voting(true);
            assertEquals(0, red.join(keys.token("p0", "m-votes")).getSlot());
            assertEquals(1, blue.join(keys.token("p1", "m-votes")).getSlot());
            driver.scheduleAtFixedRate(
                    () -> {
                        red.play();
                        blue.play();
                    },
                    0,
                    5,
                    TimeUnit.MILLISECONDS);

            assertTrue(recorder.firstRound.await(20, TimeUnit.SECONDS));
            red.voting(false);
            blue.voting(false);
            assertTrue(recorder.finished.await(20, TimeUnit.SECONDS));

            List<RoundResult> rounds = recorder.rounds;
            assertEquals(2, rounds.size());
            assertTrue(rounds.get(0).restarting());
            assertFalse(rounds.get(1).restarting());
            MatchResult first = rounds.get(0).matchResult();
            assertEquals("m-votes", first.getMatchId());
            assertEquals("1v1", first.getMode());
            assertEquals("depot", first.getMapName());
            assertEquals(1, first.getRound());
            assertEquals(2, rounds.get(1).matchResult().getRound());
            assertEquals(2, first.getDurationSeconds());
            assertNotEquals(Outcome.OUTCOME_ABANDONED, first.getOutcome());
            assertNotEquals(Outcome.OUTCOME_UNSPECIFIED, first.getOutcome());
            assertEquals(2, first.getPlayersCount());
            assertEquals(first.getRedKills(), first.getPlayers(0).getKills());
            assertTrue(first.getPlayers(0).getPresentAtEnd());
            assertEquals("", first.getReplayRef());
            assertFalse(ReplayCodec.decode(rounds.get(1).replay()).commands().isEmpty(), "the replay holds the inputs");
            for (RoundResult round : rounds) {
                // Each round's replay is that round alone, and reproduces the score the room published.
                Replay replay = ReplayCodec.decode(round.replay());
                ReplayRunner.Result replayed = ReplayRunner.run(replay, MapCatalog.load("depot"));
                assertTrue(
                        replayed.matchesRecording(),
                        "round " + round.matchResult().getRound() + " replays");
                assertEquals(round.matchResult().getRedKills(), replayed.redKills());
                assertEquals(round.matchResult().getBlueKills(), replayed.blueKills());
            }
            assertNull(ReplayCodec.decode(rounds.get(0).replay()).start(), "round 1 starts from construction");
            assertNotNull(ReplayCodec.decode(rounds.get(1).replay()).start(), "round 2 starts from the restart");

            assertEquals(4010, red.closeCode(5), "MATCH_OVER after the last scoreboard");
            assertEquals(4010, blue.closeCode(5));
            assertTrue(red.matchEnded(), "a MatchEnd without restart came before the close");
            assertEquals(2, red.matchEnds());
        }
    }

    @Test
    void votesOnTheLastAllowedRoundDoNotRestartTheMatch() throws Exception {
        // Join tokens and assignments live as long as max_rounds rounds (MatchLifetime): a match
        // that restarted past them would strand its players' reloads.
        RoomFixture.Recorder recorder = new RoomFixture.Recorder();
        RoomConfig config = RoomConfig.defaults()
                .withBaseSettings(RoomFixture.quickRounds(30, 1))
                .withTimeScale(4);
        MatchAllocation allocation = RoomFixture.allocation("m-max-rounds", 2, 1);
        allocation = allocation.toBuilder()
                .setRules(allocation.getRules().toBuilder().setMaxRounds(2))
                .build();
        try (MatchRoom room = MatchRoom.open(allocation, config, recorder, metrics)) {
            server.host(room, TestKeys.SERVER);
            BotClient red = new BotClient(server.port(), 1).voting(true);
            BotClient blue = new BotClient(server.port(), 2).voting(true);
            red.join(keys.token("p0", "m-max-rounds"));
            blue.join(keys.token("p1", "m-max-rounds"));
            driver.scheduleAtFixedRate(
                    () -> {
                        red.play();
                        blue.play();
                    },
                    0,
                    5,
                    TimeUnit.MILLISECONDS);

            assertTrue(recorder.finished.await(30, TimeUnit.SECONDS), "the room finished though everyone kept voting");
            assertEquals(2, recorder.rounds.size());
            assertTrue(recorder.rounds.get(0).restarting());
            assertFalse(recorder.rounds.get(1).restarting(), "no restart past max_rounds");
            assertEquals(4010, red.closeCode(5), "MATCH_OVER after the last scoreboard");
        }
    }

    @Test
    void aVoteSentWhenTheFrameRateIsUsedUpStillCounts() throws Exception {
        // The default edge limits (120 frames/s, bursts of 40) in real time. Blue sends 100 inputs
        // in one burst, then its vote: the inputs above the rate are dropped, the vote must not be,
        // because a client says it once and never again.
        try (GameSocketServer edge = new GameSocketServer(0, keys.verifier(), metrics, EdgeLimits.defaults())) {
            edge.start();
            RoomFixture.Recorder recorder = new RoomFixture.Recorder();
            RoomConfig config = RoomConfig.defaults().withBaseSettings(RoomFixture.quickRounds(30, 1));
            try (MatchRoom room = MatchRoom.open(RoomFixture.allocation("m-burst", 2, 1), config, recorder, metrics)) {
                edge.host(room, TestKeys.SERVER);
                BotClient red = new BotClient(edge.port(), 1).voting(true);
                BotClient blue = new BotClient(edge.port(), 2).voting(true).burstingBeforeVote(100);
                red.join(keys.token("p0", "m-burst"));
                blue.join(keys.token("p1", "m-burst"));
                double droppedBefore = MetricValues.counter(metrics.registry(), "trespasser_match_inputs_dropped");

                assertTrue(recorder.firstRound.await(20, TimeUnit.SECONDS));
                red.voting(false);
                blue.voting(false);
                assertTrue(recorder.rounds.get(0).restarting(), "both votes counted: the match restarts");
                assertTrue(
                        MetricValues.counter(metrics.registry(), "trespasser_match_inputs_dropped") - droppedBefore
                                >= 50,
                        "the burst was rate limited");
                assertTrue(blue.isOpen(), "a burst within the flood budget does not close the connection");
                red.close();
                blue.close();
            }
        }
    }

    @Test
    void everyJoiningClientsWelcomeCarriesTheRoomsMap() throws Exception {
        // A client draws and collides with Welcome.map, not with a map file of its own.
        RoomFixture.Recorder recorder = new RoomFixture.Recorder();
        RoomConfig config = RoomConfig.defaults().withBaseSettings(RoomFixture.quickRounds(30, 1));
        MatchAllocation allocation = RoomFixture.allocation("m-map", 2, 1).toBuilder()
                .setMapName("crossfire")
                .build();
        try (MatchRoom room = MatchRoom.open(allocation, config, recorder, metrics)) {
            server.host(room, TestKeys.SERVER);
            BotClient red = new BotClient(server.port(), 1);
            BotClient blue = new BotClient(server.port(), 2);
            Welcome redWelcome = red.join(keys.token("p0", "m-map"));
            Welcome blueWelcome = blue.join(keys.token("p1", "m-map"));
            red.close();
            blue.close();

            GameMap crossfire = MapCatalog.load("crossfire");
            assertEquals(crossfire, MapGeometryCodec.decode(redWelcome.getMap()));
            assertEquals(crossfire, MapGeometryCodec.decode(blueWelcome.getMap()));
            assertEquals(crossfire.fingerprint(), redWelcome.getMap().getFingerprint());
            assertEquals("crossfire", redWelcome.getMapName());
            assertEquals(crossfire.sliceCount(), redWelcome.getSliceCount());
        }
    }

    @Test
    void everyPlayerSeesTheNamesTheTokensGaveWhetherTheyJoinedBeforeOrAfter() throws Exception {
        RoomFixture.Recorder recorder = new RoomFixture.Recorder();
        RoomConfig config = RoomConfig.defaults().withBaseSettings(RoomFixture.quickRounds(30, 1));
        String guest = "guest-a1B2c3D4e5F6g7H8i9J0";
        MatchAllocation allocation = RoomFixture.allocation("m-names", 4, 30).toBuilder()
                .setRoster(3, RosterPlayer.newBuilder().setPlayerId(guest).setTeam(RosterTeam.ROSTER_TEAM_BLUE))
                .build();
        try (MatchRoom room = MatchRoom.open(allocation, config, recorder, metrics)) {
            server.host(room, TestKeys.SERVER);
            BotClient alice = new BotClient(server.port(), 1);
            BotClient zoe = new BotClient(server.port(), 2);
            BotClient mallory = new BotClient(server.port(), 3);
            BotClient old = new BotClient(server.port(), 4);

            // Until a player joins, the roster shows a short form of their id.
            assertEquals(
                    List.of("alice", "p1", "p2", "guest-a1B2c3D4"),
                    names(alice.join(keys.namedToken("p0", "alice", "m-names"))));
            assertEquals(
                    List.of("alice", "Zoë", "p2", "guest-a1B2c3D4"),
                    names(zoe.join(keys.namedToken("p1", "Zoë", "m-names"))));
            // A signed token with a hostile name is refused, and the name goes nowhere.
            mallory.connectAndSend(ClientMessage.newBuilder()
                    .setJoin(JoinRequest.newBuilder().setToken(keys.namedToken("p2", "\u202Eevil", "m-names")))
                    .build()
                    .toByteArray());
            assertEquals(4003, mallory.closeCode(5));
            assertTrue(
                    mallory.error().getMessage().contains("U+202E"),
                    mallory.error().getMessage());
            // A token from a director before names: the guest is shown by the id's short form,
            // which is the guest's generated name.
            assertEquals(
                    List.of("alice", "Zoë", "p2", "guest-a1B2c3D4"), names(old.join(keys.token(guest, "m-names"))));

            // Those welcomed earlier learn later names from the join events.
            assertEquals("Zoë", alice.nameHeard(1));
            assertEquals("guest-a1B2c3D4", alice.nameHeard(3));
            assertEquals("guest-a1B2c3D4", zoe.nameHeard(3));
            for (BotClient client : List.of(alice, zoe, old)) {
                client.close();
            }
        }
    }

    private static List<String> names(Welcome welcome) {
        return welcome.getRosterList().stream().map(RosterEntry::getDisplayName).toList();
    }

    @Test
    void pacedClientsPlayARoundOnHeldInputs() throws Exception {
        // Clients that send an input only on change or every 100 ms (InputPacer) still play: the
        // server holds their last input, applies what they send, and their acks keep flowing.
        RoomFixture.Recorder recorder = new RoomFixture.Recorder();
        RoomConfig config = RoomConfig.defaults().withBaseSettings(RoomFixture.quickRounds(30, 1));
        try (MatchRoom room = MatchRoom.open(RoomFixture.allocation("m-paced", 2, 1), config, recorder, metrics)) {
            server.host(room, TestKeys.SERVER);
            BotClient red = new BotClient(server.port(), 1).everyInput(false);
            BotClient blue = new BotClient(server.port(), 2).everyInput(false);
            red.join(keys.token("p0", "m-paced"));
            blue.join(keys.token("p1", "m-paced"));
            driver.scheduleAtFixedRate(
                    () -> {
                        red.play();
                        blue.play();
                    },
                    0,
                    16,
                    TimeUnit.MILLISECONDS);

            assertTrue(recorder.firstRound.await(20, TimeUnit.SECONDS));
            assertFalse(recorder.rounds.get(0).restarting());
            for (BotClient bot : List.of(red, blue)) {
                assertTrue(bot.view().lastInputSequence() > 0, "the server applied paced inputs");
                assertTrue(bot.snapshots() > 0);
                assertNull(bot.lastException());
            }
            red.close();
            blue.close();
        }
    }

    @Test
    void nobodyComesAndTheMatchIsAbandoned() throws Exception {
        RoomFixture.Recorder recorder = new RoomFixture.Recorder();
        RoomConfig config = RoomConfig.defaults()
                .withBaseSettings(RoomFixture.quickRounds(2, 1))
                .withTimeScale(4);
        try (MatchRoom room = MatchRoom.open(RoomFixture.allocation("m-empty", 4, 0), config, recorder, metrics)) {
            assertTrue(recorder.finished.await(10, TimeUnit.SECONDS));
            assertEquals(1, recorder.rounds.size());
            MatchResult result = recorder.rounds.get(0).matchResult();
            assertEquals(Outcome.OUTCOME_ABANDONED, result.getOutcome());
            assertEquals(4, result.getPlayersCount());
            assertFalse(recorder.rounds.get(0).restarting());
            assertTrue(room.isFinished());
        }
    }

    @Test
    void rulesOfTheAllocationOverrideTheDefaults() {
        var settings = AllocationRules.settings(
                RoomFixture.quickRounds(2, 1),
                dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setKillLimit(5)
                        .setFriendlyFire(true)
                        .build());
        assertEquals(5, settings.flow().killLimit());
        assertEquals(600, settings.flow().timeLimitSeconds(), "0 keeps the default");
        assertTrue(settings.flow().friendlyFire());
    }

    @Test
    void unsetRulesKeepTheGameDefaults() {
        var settings = AllocationRules.settings(
                dev.trespasser.match.sim.MatchSettings.defaults(),
                dev.trespasser.proto.allocation.v1.MatchRules.getDefaultInstance());
        assertEquals(50, settings.flow().killLimit(), "GAME.md: 50 kills");
        assertEquals(600, settings.flow().timeLimitSeconds(), "GAME.md: 10 minutes");
        assertFalse(settings.flow().friendlyFire(), "GAME.md: friendly fire off");
        var short1 = AllocationRules.settings(
                dev.trespasser.match.sim.MatchSettings.defaults(),
                dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setKillLimit(1)
                        .setTimeLimitSeconds(60)
                        .build());
        assertEquals(1, short1.flow().killLimit());
        assertEquals(60, short1.flow().timeLimitSeconds());
    }

    @Test
    void rulesNoMatchCouldMeanAreRefused() {
        var base = dev.trespasser.match.sim.MatchSettings.defaults();
        for (var rules : java.util.List.of(
                dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setKillLimit(-1)
                        .build(), // uint32 max
                dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setKillLimit(AllocationRules.MAX_KILL_LIMIT + 1)
                        .build(),
                dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setTimeLimitSeconds(Integer.MAX_VALUE)
                        .build(),
                dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setTimeLimitSeconds(AllocationRules.MAX_TIME_LIMIT_SECONDS + 1)
                        .build())) {
            org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> AllocationRules.settings(base, rules), rules.toString());
        }
        var hostile = RoomFixture.allocation("m-hostile-rules", 2, 0).toBuilder()
                .setRules(dev.trespasser.proto.allocation.v1.MatchRules.newBuilder()
                        .setKillLimit(-1))
                .build();
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> MatchRoom.open(hostile, RoomConfig.defaults(), new RoomFixture.Recorder(), metrics));
    }
}
