package dev.trespasser.frontend.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetProfileResponse;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/** The results stream consumer against a real Redis, with the test playing the match server. */
class ResultsConsumerTest {
    private static final String SERVER = "gs-allocated";

    private static RedisServer redis;
    private static FrontendHarness frontend;

    @BeforeAll
    static void start() {
        // The frontend runs as its own Redis user (open-match/redis/results-redis-users.conf).
        redis = RedisServer.startWithUsers(FrontendHarness.PEER_LOGS, RedisServer.RESULTS_USERS);
        frontend = FrontendHarness.start(
                redis, "127.0.0.1:" + FreePort.pick(), Map.of("FRONTEND_RESULTS_CLAIM_IDLE_MS", "500"));
    }

    @AfterAll
    static void stop() {
        if (frontend != null) {
            frontend.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void resultUpdatesStatsAndEloOnceEvenWhenPublishedTwice() throws Exception {
        List<Session> red = guests(4);
        List<Session> blue = guests(4);
        MatchResult result = result(red, blue, Outcome.OUTCOME_RED_WON, 0);

        publish(result);
        publish(result);
        awaitTrue(() -> profile(red.get(0)).getMatchesPlayed() == 1, "result applied");
        // A later, different match proves the consumer is past both copies.
        publish(result(red, blue, Outcome.OUTCOME_ABANDONED, 0).toBuilder()
                .setMatchId("m-" + UUID.randomUUID())
                .build());
        awaitTrue(() -> pending() == 0, "every entry acknowledged");

        GetProfileResponse winner = profile(red.get(0));
        GetProfileResponse loser = profile(blue.get(0));
        assertEquals(1516.0, winner.getRating(), 1e-9);
        assertEquals(1484.0, loser.getRating(), 1e-9);
        assertEquals(1, winner.getMatchesPlayed());
        assertEquals(1, winner.getWins());
        assertEquals(1, loser.getLosses());
        assertEquals(3, winner.getKills());
        assertEquals(2, loser.getDeaths());
    }

    @Test
    void anotherRoundOfTheSameMatchCountsAgain() throws Exception {
        List<Session> red = guests(1);
        List<Session> blue = guests(1);
        publish(result(red, blue, Outcome.OUTCOME_DRAW, 0));
        publish(result(red, blue, Outcome.OUTCOME_DRAW, 1));
        awaitTrue(() -> profile(red.get(0)).getDraws() == 2, "two rounds, two draws");
        assertEquals(1500.0, profile(red.get(0)).getRating(), 1e-9);
    }

    @Test
    void entryLeftPendingByADeadConsumerIsClaimedAndAppliedOnce() throws Exception {
        // Its own Redis: the dead consumer must read the entry before any frontend can.
        try (RedisServer own = RedisServer.startWithUsers(FrontendHarness.PEER_LOGS, RedisServer.RESULTS_USERS);
                redis.clients.jedis.JedisPooled direct =
                        new redis.clients.jedis.JedisPooled(java.net.URI.create(own.adminUrl()))) {
            MatchResult result = MatchResult.newBuilder()
                    .setMatchId("m-claimed")
                    .setOutcome(Outcome.OUTCOME_BLUE_WON)
                    .setGameServer(SERVER)
                    .setRound(1)
                    .addPlayers(PlayerResult.newBuilder().setPlayerId("p-red").setTeam(ResultTeam.RESULT_TEAM_RED))
                    .addPlayers(PlayerResult.newBuilder().setPlayerId("p-blue").setTeam(ResultTeam.RESULT_TEAM_BLUE))
                    .build();
            record(direct, result);
            direct.xgroupCreate("trespasser:match-results", "frontend-ratings", new StreamEntryID(0, 0), true);
            StreamEntryID id = direct.xadd(
                    "trespasser:match-results",
                    StreamEntryID.NEW_ENTRY,
                    Map.of(
                            "match_id",
                            "m-claimed",
                            "result",
                            JsonFormat.printer().print(result)));
            List<Map.Entry<String, List<StreamEntry>>> stolen = direct.xreadGroup(
                    "frontend-ratings",
                    "dead-consumer",
                    XReadGroupParams.xReadGroupParams().count(10),
                    Map.of("trespasser:match-results", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertEquals(
                    id, stolen.get(0).getValue().get(0).getID(), "the dead consumer holds the entry, unacknowledged");

            FrontendHarness second = FrontendHarness.start(
                    own, "127.0.0.1:" + FreePort.pick(), Map.of("FRONTEND_RESULTS_CLAIM_IDLE_MS", "500"));
            try {
                awaitTrue(() -> "1".equals(direct.hget("trespasser:player:p-blue", "wins")), "claimed result applied");
                awaitTrue(
                        () -> direct.xpending("trespasser:match-results", "frontend-ratings")
                                        .getTotal()
                                == 0,
                        "claimed entry acknowledged");
                assertEquals(1516.0, Double.parseDouble(direct.hget("trespasser:player:p-blue", "rating")), 1e-9);
                assertEquals(1484.0, Double.parseDouble(direct.hget("trespasser:player:p-red", "rating")), 1e-9);
            } finally {
                second.close();
            }
        }
    }

    @Test
    void malformedEntriesAreAcknowledgedAndChangeNothing() throws Exception {
        redis().xadd("trespasser:match-results", StreamEntryID.NEW_ENTRY, Map.of("match_id", "bad", "result", "{nope"));
        redis().xadd("trespasser:match-results", StreamEntryID.NEW_ENTRY, Map.of("match_id", "bad2"));
        List<Session> red = guests(1);
        List<Session> blue = guests(1);
        publish(result(red, blue, Outcome.OUTCOME_RED_WON, 0));
        awaitTrue(() -> profile(red.get(0)).getWins() == 1, "the consumer moved past the malformed entries");
        awaitTrue(() -> pending() == 0, "malformed entries acknowledged");
    }

    @Test
    void consumerAppliesDirectlyOnceWhenTheSameEntryIsHandledTwice() throws Exception {
        List<Session> red = guests(1);
        List<Session> blue = guests(1);
        ResultsConsumer direct = new ResultsConsumer(
                redis(),
                new ResultLedger(redis()),
                "direct",
                java.time.Duration.ofMinutes(1),
                new dev.trespasser.frontend.metrics.FrontendMetrics(
                        new io.prometheus.metrics.model.registry.PrometheusRegistry()));
        MatchResult result = result(red, blue, Outcome.OUTCOME_RED_WON, 5);
        record(redis(), result);
        String json = JsonFormat.printer().print(result);
        Map<String, String> fields = Map.of("match_id", "x", "result", json);
        assertEquals("applied", direct.apply(new StreamEntryID(1, 0), fields));
        assertEquals("duplicate", direct.apply(new StreamEntryID(1, 0), fields));
        assertEquals(1516.0, profile(red.get(0)).getRating(), 1e-9);
    }

    /**
     * A match server lying about its match: players who were not in it, another server, a match the
     * director never allocated, a round beyond the rules, swapped teams. None changes a rating; each
     * is counted by reason and acknowledged, and the honest result after them is applied.
     */
    @Test
    void resultsThatDisagreeWithTheDirectorsRecordChangeNoRating() throws Exception {
        List<Session> red = guests(1);
        List<Session> blue = guests(1);
        List<Session> victims = guests(2);
        MatchResult honest = result(red, blue, Outcome.OUTCOME_RED_WON, 1);
        record(redis(), honest);
        double unknownBefore = forged("unknown_match");
        double serverBefore = forged("wrong_server");
        double rosterBefore = forged("wrong_roster");
        double roundBefore = forged("wrong_round");

        // Other players named in this match's result (the victims lose, the attacker's friend wins).
        append(result(victims.subList(0, 1), victims.subList(1, 2), Outcome.OUTCOME_RED_WON, 1).toBuilder()
                .setMatchId(honest.getMatchId())
                .build());
        append(honest.toBuilder()
                .setPlayers(
                        1,
                        honest.getPlayers(1).toBuilder()
                                .setPlayerId(victims.get(0).getPlayerId()))
                .build());
        append(honest.toBuilder()
                .setPlayers(0, honest.getPlayers(0).toBuilder().setTeam(ResultTeam.RESULT_TEAM_BLUE))
                .setPlayers(1, honest.getPlayers(1).toBuilder().setTeam(ResultTeam.RESULT_TEAM_RED))
                .build());
        append(honest.toBuilder().addPlayers(honest.getPlayers(0)).build());
        // The right players, from another server.
        append(honest.toBuilder().setGameServer("gs-attacker").build());
        // A match id the director never allocated (or a replayed one whose record expired).
        append(result(victims.subList(0, 1), victims.subList(1, 2), Outcome.OUTCOME_RED_WON, 1).toBuilder()
                .setMatchId("m-never-allocated")
                .build());
        // A round the rules never allow.
        append(honest.toBuilder().setRound(6).build());
        append(honest);

        awaitTrue(() -> profile(red.get(0)).getWins() == 1, "the honest result applied");
        awaitTrue(() -> pending() == 0, "every forged entry acknowledged");
        for (Session victim : victims) {
            GetProfileResponse profile = profile(victim);
            assertEquals(0, profile.getMatchesPlayed(), "victim's matches");
            assertEquals(1500.0, profile.getRating(), 1e-9, "victim's rating");
        }
        assertEquals(1, profile(red.get(0)).getMatchesPlayed(), "the honest round counted once");
        assertEquals(1, profile(blue.get(0)).getLosses());
        assertEquals(1, forged("unknown_match") - unknownBefore, 1e-9);
        assertEquals(1, forged("wrong_server") - serverBefore, 1e-9);
        assertEquals(4, forged("wrong_roster") - rosterBefore, 1e-9);
        assertEquals(1, forged("wrong_round") - roundBefore, 1e-9);
    }

    private static redis.clients.jedis.JedisPooled redis() {
        return frontend.redis();
    }

    private static List<Session> guests(int n) {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sessions.add(frontend.guest());
        }
        return sessions;
    }

    private static MatchResult result(List<Session> red, List<Session> blue, Outcome outcome, int round) {
        MatchResult.Builder result = MatchResult.newBuilder()
                .setMatchId("m-" + red.get(0).getPlayerId())
                .setOutcome(outcome)
                .setMode("4v4")
                .setRound(round)
                .setGameServer(SERVER);
        for (Session s : red) {
            result.addPlayers(PlayerResult.newBuilder()
                    .setPlayerId(s.getPlayerId())
                    .setTeam(ResultTeam.RESULT_TEAM_RED)
                    .setKills(3)
                    .setDeaths(1));
        }
        for (Session s : blue) {
            result.addPlayers(PlayerResult.newBuilder()
                    .setPlayerId(s.getPlayerId())
                    .setTeam(ResultTeam.RESULT_TEAM_BLUE)
                    .setKills(1)
                    .setDeaths(2));
        }
        return result.build();
    }

    /**
     * What the director does at allocation (AssignmentPublisher.recordMatch, whose format
     * AssignmentPublisherTest checks), then what the match server does: one entry with match_id and
     * the result as protobuf JSON.
     */
    private static StreamEntryID publish(MatchResult result) throws Exception {
        record(redis(), result);
        return append(result);
    }

    /** Only the match server's part: no record is written. */
    private static StreamEntryID append(MatchResult result) throws Exception {
        return redis().xadd(
                        "trespasser:match-results",
                        StreamEntryID.NEW_ENTRY,
                        Map.of(
                                "match_id",
                                result.getMatchId(),
                                "result",
                                JsonFormat.printer().print(result)));
    }

    /** The director's record of the match the result's players were allocated to, on {@link #SERVER}. */
    static void record(redis.clients.jedis.UnifiedJedis jedis, MatchResult result) {
        String roster = result.getPlayersList().stream()
                .map(p -> p.getPlayerId() + "=" + p.getTeamValue())
                .collect(java.util.stream.Collectors.joining(","));
        jedis.hset(
                RedisNames.matchRecord(result.getMatchId()),
                Map.of(
                        RedisNames.MATCH_RECORD_GAME_SERVER,
                        SERVER,
                        RedisNames.MATCH_RECORD_ROSTER,
                        roster,
                        RedisNames.MATCH_RECORD_MAX_ROUNDS,
                        "5"));
    }

    private static double forged(String reason) {
        return frontend.registry().scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("trespasser_frontend_forged_results"))
                .flatMap(m -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) m).getDataPoints().stream())
                .filter(p -> p.getLabels().get("reason").equals(reason))
                .mapToDouble(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }

    private static GetProfileResponse profile(Session player) {
        return frontend.as(player).getProfile(GetProfileRequest.getDefaultInstance());
    }

    private static long pending() {
        return redis().xpending("trespasser:match-results", "frontend-ratings").getTotal();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
