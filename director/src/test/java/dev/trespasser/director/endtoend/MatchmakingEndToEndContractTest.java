package dev.trespasser.director.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.director.allocation.AllocationApiStub;
import dev.trespasser.director.allocation.AllocationApiStub.Reply;
import dev.trespasser.frontend.AssignmentStream;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.JoinTokenContract;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 §4, the whole matchmaking path with real parts (see {@link MatchmakingStack}): players
 * use only the frontend's public API (register + login, or guest; FindMatch; WatchAssignment;
 * CancelMatch), and what they receive is checked against what the director sent to the
 * allocation API and against the join token contract.
 */
class MatchmakingEndToEndContractTest {

    /** om-core's and the frontend's ticket TTL: short, so a ticket can outlive it within the test. */
    private static final long TICKET_TTL_MS = 6_000;

    private static final int PLAYERS = 64;
    private static final int REGISTERED = 16;
    private static final MatchRules RULES =
            MatchRules.newBuilder().setKillLimit(7).setTimeLimitSeconds(90).build();

    @TempDir
    java.nio.file.Path keys;

    private MatchmakingStack stack;
    private FrontendHarness frontend;

    /** One player as the test knows them, and their open WatchAssignment call. */
    private record Player(Session session, String region, GameMode mode, String firstTicket, AssignmentStream stream) {
        String id() {
            return session.getPlayerId();
        }
    }

    @BeforeEach
    void start() {
        stack = MatchmakingStack.start(
                keys,
                Map.of(
                        "OM_MATCH_TICKET_DEACTIVATION_WAIT",
                        "true",
                        "OM_CACHE_TICKET_TTL_MS",
                        Long.toString(TICKET_TTL_MS)),
                Map.of(
                        "FRONTEND_TICKET_TTL_MS",
                        Long.toString(TICKET_TTL_MS),
                        "FRONTEND_SWEEP_INTERVAL_MS",
                        "250",
                        "FRONTEND_STATUS_INTERVAL_MS",
                        "1000"));
        frontend = stack.frontend();
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPlayerIsMatchedOnceInABalancedRosterOfTheirRegionThroughTheRealServices() throws Exception {
        // A 1v1 player alone in their queue: their ticket will outlive om-core's TTL before anyone joins.
        Player lonely = queue(frontend.guest(), GameMode.ONE_V_ONE, "us");
        long lonelySince = System.nanoTime();

        // Two players who leave before the director runs. The 1v1 one would pair with the lonely
        // player, the 4v4 one would take a place in an eu match, if cancelling did not work.
        Player leaver4v4 = queue(frontend.guest(), GameMode.FOUR_V_FOUR, "eu");
        Player leaver1v1 = queue(frontend.guest(), GameMode.ONE_V_ONE, "us");
        leaver4v4.stream().awaitMessages(1);
        frontend.as(leaver4v4.session()).cancelMatch(CancelMatchRequest.getDefaultInstance());
        frontend.as(leaver1v1.session()).cancelMatch(CancelMatchRequest.getDefaultInstance());

        List<Player> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            Session session = i < REGISTERED ? registerThenLogin() : frontend.guest();
            players.add(queue(session, GameMode.FOUR_V_FOUR, i % 2 == 0 ? "eu" : "us"));
        }
        stack.probe().awaitPool(GameMode.ONE_V_ONE, "us", pool -> pool.size() == 1, "only the lonely 1v1 ticket");
        // om-core applies updates in order: once the later players' tickets show, the cancel has too.
        stack.probe()
                .awaitPool(
                        GameMode.FOUR_V_FOUR,
                        "eu",
                        pool -> pool.size() >= PLAYERS / 2
                                && pool.stream().noneMatch(t -> t.getId().equals(leaver4v4.firstTicket())),
                        "the cancelled 4v4 ticket gone");

        // The first two allocations fail (no Ready server, then an API error); then the fleet has
        // exactly one server per match.
        AllocationApiStub api = stack.allocationApi();
        api.script(
                Reply.unAllocated(),
                Reply.error(500, "{\"kind\":\"Status\",\"message\":\"etcd timeout\",\"code\":500}"));
        api.addReadyServers(PLAYERS / 8 + 1);
        stack.startDirector(Map.of(
                "DIRECTOR_PROFILES", "4v4:eu,4v4:us,1v1:us",
                "DIRECTOR_CYCLE_MS", "100",
                "DIRECTOR_BACKOFF_BASE_MS", "200",
                "DIRECTOR_BACKOFF_MAX_MS", "1000",
                "DIRECTOR_KILL_LIMIT", Integer.toString(RULES.getKillLimit()),
                "DIRECTOR_TIME_LIMIT_SECONDS", Integer.toString(RULES.getTimeLimitSeconds())));

        for (Player player : players) {
            Status end = player.stream().end.get(90, TimeUnit.SECONDS);
            assertEquals(Status.Code.OK, end.getCode(), player.id() + ": " + end);
        }

        // The lonely player's wait passes om-core's TTL; the frontend keeps them queued on a new ticket.
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lonelySince);
        Thread.sleep(Math.max(0, TICKET_TTL_MS + 1_000 - waitedMs));
        assertFalse(lonely.stream().end.isDone(), "the lonely player is still waiting: " + lonely.stream().messages);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lonely.stream().lastStatus().map(s -> s.getRequeueCount() == 0).orElse(true)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(lonely.stream().lastStatus().orElseThrow().getRequeueCount() >= 1, "requeued before the TTL");
        assertTrue(
                stack.probe().poolIds(GameMode.ONE_V_ONE, "us").stream().noneMatch(lonely.firstTicket()::equals),
                "the first ticket is gone from om-core");
        Player partner = queue(frontend.guest(), GameMode.ONE_V_ONE, "us");
        for (Player player : List.of(lonely, partner)) {
            Status end = player.stream().end.get(30, TimeUnit.SECONDS);
            assertEquals(Status.Code.OK, end.getCode(), player.id() + ": " + end);
        }
        players.add(lonely);
        players.add(partner);
        Thread.sleep(1_000); // anything still in flight would now show up as a second allocation

        // What the director sent to the allocation API, by player.
        assertEquals(PLAYERS / 8 + 1, api.granted.size(), "one server per match, no more");
        Map<String, AllocationApiStub.Granted> serverOf = new HashMap<>();
        Map<String, MatchAllocation> matchOf = new HashMap<>();
        Map<String, Player> byId = new HashMap<>();
        players.forEach(p -> byId.put(p.id(), p));
        for (AllocationApiStub.Granted granted : api.granted) {
            MatchAllocation match = MatchmakingStack.allocationOf(granted.request());
            assertEquals(
                    RULES.toBuilder().setMaxRounds(5).build(),
                    match.getRules(),
                    "the configured rules, with the default round limit");
            int teamSize = match.getMode().equals("1v1") ? 1 : 4;
            assertEquals(
                    teamSize,
                    match.getRosterList().stream()
                            .filter(p -> p.getTeam() == RosterTeam.ROSTER_TEAM_RED)
                            .count(),
                    match.toString());
            assertEquals(
                    teamSize,
                    match.getRosterList().stream()
                            .filter(p -> p.getTeam() == RosterTeam.ROSTER_TEAM_BLUE)
                            .count(),
                    match.toString());
            assertEquals(2 * teamSize, match.getRosterCount(), match.toString());
            Set<String> regions = new HashSet<>();
            for (RosterPlayer rostered : match.getRosterList()) {
                Player player = byId.get(rostered.getPlayerId());
                assertNotNull(player, "an unknown or cancelled player in a roster: " + rostered.getPlayerId());
                assertEquals(player.mode().label(), match.getMode(), "mode of " + player.id());
                regions.add(player.region());
                assertEquals(null, serverOf.put(player.id(), granted), player.id() + " placed twice");
                matchOf.put(player.id(), match);
            }
            assertEquals(1, regions.size(), "a match mixes regions: " + match);
        }
        assertEquals(byId.keySet(), serverOf.keySet(), "every player placed, nobody else");

        // What each player received is their seat in that match.
        PublicKey publicKey = stack.joinTokenPublicKey();
        for (Player player : players) {
            Assignment assignment = player.stream().assignment();
            AllocationApiStub.Granted server = serverOf.get(player.id());
            MatchAllocation match = matchOf.get(player.id());
            assertEquals(match.getMatchId(), assignment.getMatchId());
            assertEquals(server.address(), assignment.getHost());
            assertEquals(server.port(), assignment.getPort());
            Claims claims = Jwts.parser()
                    .verifyWith(publicKey)
                    .build()
                    .parseSignedClaims(assignment.getToken())
                    .getPayload();
            assertEquals(player.id(), claims.getSubject());
            // The name came from the frontend's ticket through om-core and the MMF (the lonely
            // player's through a re-created ticket), guests' and registered players' alike.
            assertEquals(
                    player.session().getUsername(),
                    claims.get(JoinTokenContract.DISPLAY_NAME, String.class),
                    player.id());
            assertEquals(match.getMatchId(), claims.get(JoinTokenContract.MATCH_ID, String.class));
            assertEquals(
                    java.util.Set.of(server.gameServerName()),
                    claims.getAudience(),
                    "the token names the GameServer Agones allocated, and no other");
            assertEquals(
                    match.getAllocatedAtEpochSeconds(),
                    claims.getIssuedAt().toInstant().getEpochSecond());
        }

        // The failed allocations: their players went back to the pool and were matched later.
        List<AllocationApiStub.Request> failed = api.requests.subList(0, 2);
        for (AllocationApiStub.Request request : failed) {
            MatchAllocation match = MatchmakingStack.allocationOf(request.body());
            for (RosterPlayer rostered : match.getRosterList()) {
                assertTrue(
                        serverOf.containsKey(rostered.getPlayerId()),
                        rostered.getPlayerId() + " lost after a failed allocation");
            }
        }
        assertTrue(api.requests.size() >= api.granted.size() + 2, "the two failures were real requests");

        // The players who left: never in a roster (checked above), never given a seat.
        assertEquals(
                Status.Code.CANCELLED,
                leaver4v4.stream().end.get(10, TimeUnit.SECONDS).getCode());
        for (Player leaver : List.of(leaver4v4, leaver1v1)) {
            assertTrue(
                    leaver.stream().messages.stream().noneMatch(m -> m.hasAssignment()), leaver.id() + " got a seat");
            assertEquals(Set.of(), frontend.redis().keys(RedisNames.assignment(leaver.firstTicket()) + "*"));
        }
    }

    private Session registerThenLogin() {
        String name = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = "correct horse " + name;
        frontend.anonymous()
                .register(RegisterRequest.newBuilder()
                        .setUsername(name)
                        .setPassword(password)
                        .build());
        return frontend.anonymous()
                .login(LoginRequest.newBuilder()
                        .setUsername(name)
                        .setPassword(password)
                        .build())
                .getSession();
    }

    private Player queue(Session session, GameMode mode, String region) {
        String ticket = frontend.as(session)
                .findMatch(FindMatchRequest.newBuilder()
                        .setMode(apiMode(mode))
                        .setRegion(region)
                        .build())
                .getTicketId();
        return new Player(session, region, mode, ticket, AssignmentStream.open(frontend.asyncAs(session)));
    }

    private static dev.trespasser.proto.frontend.v1.GameMode apiMode(GameMode mode) {
        return switch (mode) {
            case FOUR_V_FOUR -> dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_4V4;
            case TWO_V_TWO -> dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_2V2;
            case ONE_V_ONE -> dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_1V1;
        };
    }
}
