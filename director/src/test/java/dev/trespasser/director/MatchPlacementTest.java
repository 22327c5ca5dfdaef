package dev.trespasser.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.allocation.GameServerAllocator;
import dev.trespasser.director.assignments.AssignmentPublisher;
import dev.trespasser.director.assignments.TicketClaims;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.director.profiles.PoolSlicer;
import dev.trespasser.director.tokens.JoinTokenSigner;
import dev.trespasser.director.tokens.SigningKeys;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.MutableClock;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.JoinTokenContract;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.Ticket;
import dev.trespasser.runtime.Backoff;
import io.grpc.Status;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The director's placement rules, with om-core faked in-process (FakeOpenMatch), a real Redis, and
 * an in-memory fleet: what happens to a match and its tickets on every path. The same rules
 * against the real om-core and MMF are in DirectorOpenMatchContractTest.
 */
class MatchPlacementTest {

    private static final MatchProfile PROFILE = MatchProfile.unsliced(GameMode.FOUR_V_FOUR, "eu");
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    private static final MatchRules RULES = MatchRules.newBuilder()
            .setKillLimit(5)
            .setTimeLimitSeconds(90)
            .setFriendlyFire(true)
            .build();

    private static RedisServer redisServer;
    private static JedisPooled redis;

    private final KeyPair keys = SigningKeys.generate();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final InMemoryFleet fleet = new InMemoryFleet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private FakeOpenMatch openMatch;
    private DirectorMetrics metrics;
    private TicketClaims claims;
    private Backoff backoff;
    private String run;

    @BeforeAll
    static void startRedis() {
        redisServer = RedisServer.start(Path.of("target/peer-logs"));
        redis = new JedisPooled(URI.create(redisServer.url()));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        openMatch = new FakeOpenMatch();
        metrics = new DirectorMetrics(new PrometheusRegistry());
        claims = new TicketClaims(redis, Duration.ofSeconds(120));
        backoff = new Backoff(BACKOFF_BASE, Duration.ofSeconds(30), clock);
        // Ticket ids are unique per test: Redis is shared by the class.
        run = UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    void tearDown() throws Exception {
        openMatch.close();
    }

    private ProfileLoop loop(GameServerAllocator allocator, AssignmentPublisher publisher) {
        return loop(allocator, publisher, null, 1);
    }

    private ProfileLoop loop(
            GameServerAllocator allocator, AssignmentPublisher publisher, ExecutorService placements, int concurrency) {
        MatchPlacer placer = new MatchPlacer(
                claims,
                allocator,
                new JoinTokenSigner(keys.getPrivate(), Duration.ofSeconds(900)),
                publisher,
                new TicketReactivator(openMatch.stub(), Duration.ofSeconds(5), metrics),
                metrics,
                clock,
                List.of("depot", "crossfire"),
                RULES);
        MatchmakingFunctionSpec mmf = MatchmakingFunctionSpec.newBuilder()
                .setName("trespasser-mmf")
                .setHost("http://127.0.0.1")
                .setPort(50502)
                .setType(MatchmakingFunctionSpec.Type.GRPC)
                .build();
        return new ProfileLoop(
                PROFILE,
                openMatch.stub(),
                mmf,
                new PoolSlicer(redis, 3_000),
                Duration.ofSeconds(5),
                placer,
                backoff,
                stopping::get,
                metrics,
                placements,
                concurrency,
                Duration.ofSeconds(1));
    }

    private ProfileLoop loop(GameServerAllocator allocator) {
        return loop(allocator, new AssignmentPublisher(redis, Duration.ofSeconds(600)));
    }

    private Match match(String name, List<String> ticketIds) {
        return Matches.fourVFour(run + name, "eu", ticketIds);
    }

    private List<String> ids(String prefix, int count) {
        return Matches.ids(run + prefix, count);
    }

    @Test
    void placedMatchGivesEveryPlayerAnAssignmentWithTheirOwnVerifiableToken() throws Exception {
        fleet.addReadyServers(1);
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m", tickets));

        assertEquals(List.of(PlacementOutcome.PLACED), loop(fleet).runCycle());

        MatchAllocation allocation = fleet.granted.get(0).match();
        assertEquals(run + "m", allocation.getMatchId());
        assertEquals("4v4", allocation.getMode());
        assertTrue(List.of("depot", "crossfire").contains(allocation.getMapName()));
        assertEquals(clock.instant().getEpochSecond(), allocation.getAllocatedAtEpochSeconds());
        assertEquals(RULES, allocation.getRules(), "every allocation carries the configured rules");
        assertEquals(
                RosterPlayer.newBuilder()
                        .setPlayerId("p-" + tickets.get(0))
                        .setTeam(RosterTeam.ROSTER_TEAM_RED)
                        .build(),
                allocation.getRoster(0));
        assertEquals(
                4,
                allocation.getRosterList().stream()
                        .filter(p -> p.getTeam() == RosterTeam.ROSTER_TEAM_BLUE)
                        .count());

        for (String ticket : tickets) {
            Assignment assignment = assignment(RedisNames.assignment(ticket));
            assertEquals(assignment, assignment(RedisNames.playerAssignment(ticket, "p-" + ticket)));
            assertEquals(7000, assignment.getPort());
            assertEquals(run + "m", assignment.getMatchId());
            Claims token = Jwts.parser()
                    .verifyWith(keys.getPublic())
                    .clock(() -> java.util.Date.from(clock.instant()))
                    .build()
                    .parseSignedClaims(assignment.getToken())
                    .getPayload();
            assertEquals("p-" + ticket, token.getSubject());
            assertEquals(run + "m", token.get(JoinTokenContract.MATCH_ID, String.class));
            assertEquals(
                    java.util.Set.of(fleet.granted.get(0).gameServerName()),
                    token.getAudience(),
                    "only the allocated server accepts the token");
        }
        assertTrue(openMatch.activateCalls.isEmpty(), "a placed match gives nothing back");
        assertEquals(8, claims.owners(tickets).size(), "placed tickets stay claimed against duplicates");
    }

    @Test
    void eachTokenCarriesTheNameItsTicketGaveAndABadNameIsLeftOutWithoutFailingTheMatch() throws Exception {
        fleet.addReadyServers(1);
        List<String> ids = ids("n", 8);
        // Tickets 0-3 name their player; 4 with an RTL override, 5 too long, 6 not a string, 7 nothing.
        List<Object> names =
                List.of("alice", "Zoë", "guest-a1B2c3D4", "bob the builder", "\u202Eevil", "x".repeat(25), 7.0, "");
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Ticket.Builder ticket = Matches.ticket(ids.get(i), "eu").toBuilder();
            String player = "p-" + ids.get(i);
            if (names.get(i) instanceof String name && !name.isEmpty()) {
                ticket.putExtensions(
                        TicketAttributes.PLAYER_NAMES, TicketAttributes.packPlayerNames(Map.of(player, name)));
            } else if (names.get(i) instanceof Double number) {
                ticket.putExtensions(
                        TicketAttributes.PLAYER_NAMES,
                        Any.pack(Struct.newBuilder()
                                .putFields(
                                        player,
                                        Value.newBuilder()
                                                .setNumberValue(number)
                                                .build())
                                .build()));
            }
            tickets.add(ticket.build());
        }
        openMatch.nextInvocationReturns(Matches.fourVFourOf(run + "named", "eu", tickets));

        assertEquals(List.of(PlacementOutcome.PLACED), loop(fleet).runCycle(), "a bad name does not cost the match");

        for (int i = 0; i < 8; i++) {
            Claims token = Jwts.parser()
                    .verifyWith(keys.getPublic())
                    .clock(() -> java.util.Date.from(clock.instant()))
                    .build()
                    .parseSignedClaims(
                            assignment(RedisNames.assignment(ids.get(i))).getToken())
                    .getPayload();
            assertEquals("p-" + ids.get(i), token.getSubject());
            if (i < 4) {
                assertEquals(names.get(i), token.get(JoinTokenContract.DISPLAY_NAME, String.class));
            } else {
                assertFalse(token.containsKey(JoinTokenContract.DISPLAY_NAME), "no name claim for ticket " + i);
            }
        }
    }

    @Test
    void noCapacityHandsEveryTicketBackReleasesItsClaimsAndBacksTheProfileOff() throws Exception {
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m", tickets));
        ProfileLoop loop = loop(fleet);

        assertEquals(List.of(PlacementOutcome.NO_CAPACITY), loop.runCycle());

        assertEquals(tickets, openMatch.activatedIds());
        assertTrue(claims.owners(tickets).isEmpty(), "claims released, so the tickets can be matched again");
        assertNull(redis.get(RedisNames.assignment(tickets.get(0))));
        assertEquals(1.0, metrics.allocationFailures.labelValues("no_capacity").get());

        assertEquals(List.of(), loop.runCycle(), "backing off: no invocation");
        assertEquals(1, openMatch.invokeRequests.size());
        clock.advance(BACKOFF_BASE);
        loop.runCycle();
        assertEquals(2, openMatch.invokeRequests.size(), "invokes again once the back-off has passed");
    }

    @Test
    void backOffGrowsWithEveryFailureAndResetsOnAPlacedMatch() throws Exception {
        ProfileLoop loop = loop(fleet);
        for (int failure = 0; failure < 3; failure++) {
            openMatch.nextInvocationReturns(match("m" + failure, ids("t" + failure + "-", 8)));
            assertEquals(List.of(PlacementOutcome.NO_CAPACITY), loop.runCycle());
            clock.advance(BACKOFF_BASE.multipliedBy(1L << failure).minusMillis(1));
            assertEquals(List.of(), loop.runCycle(), "still backing off after failure " + (failure + 1));
            clock.advance(Duration.ofMillis(1));
        }
        fleet.addReadyServers(1);
        openMatch.nextInvocationReturns(match("ok", ids("ok", 8)));
        assertEquals(List.of(PlacementOutcome.PLACED), loop.runCycle());
        assertEquals(0, backoff.failures());
    }

    @Test
    void afterAFailedAllocationTheRestOfTheCycleGoesBackWithoutBeingTried() throws Exception {
        List<String> first = ids("a", 8);
        List<String> second = ids("b", 8);
        openMatch.nextInvocationReturns(match("a", first), match("b", second));

        assertEquals(
                List.of(PlacementOutcome.NO_CAPACITY, PlacementOutcome.RETURNED),
                loop(fleet).runCycle());

        assertEquals(1, fleet.attempts.get());
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertEquals(all, openMatch.activatedIds());
    }

    @Test
    void matchWhoseClaimsLapsedDuringAllocationIsNotPublished() throws Exception {
        // A lease of 300 ms that nobody renews: this director "stalled" through its allocation,
        // and the frontend may already have put the tickets back in the pools.
        claims = new TicketClaims(redis, Duration.ofSeconds(120), Duration.ofMillis(300));
        fleet.addReadyServers(1);
        GameServerAllocator slow = match -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fleet.allocate(match);
        };
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m", tickets));

        assertEquals(List.of(PlacementOutcome.PUBLISH_FAILED), loop(slow).runCycle());

        assertEquals(1, fleet.granted.size(), "allocated (its waiting phase abandons the empty match)");
        for (String ticket : tickets) {
            assertNull(redis.get(RedisNames.assignment(ticket)), "nothing published for " + ticket);
        }
        assertTrue(claims.owners(tickets).isEmpty());
        assertEquals(tickets, openMatch.activatedIds());
    }

    @Test
    void claimsOfAMatchBeingPlacedAreRenewedThroughASlowAllocationThenKeptForTheTtl() throws Exception {
        claims = new TicketClaims(redis, Duration.ofSeconds(120), Duration.ofMillis(600));
        fleet.addReadyServers(1);
        java.util.concurrent.ScheduledExecutorService renewer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        renewer.scheduleWithFixedDelay(claims::renewLeases, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        List<String> tickets = ids("t", 8);
        GameServerAllocator slow = match -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fleet.allocate(match);
        };
        openMatch.nextInvocationReturns(match("m", tickets));
        try {
            assertEquals(List.of(PlacementOutcome.PLACED), loop(slow).runCycle());
        } finally {
            renewer.shutdownNow();
        }
        for (String ticket : tickets) {
            assertNotNull(redis.get(RedisNames.assignment(ticket)), ticket);
            long ttl = redis.pttl(RedisNames.ticketClaim(ticket));
            assertTrue(ttl > 100_000, "a placed match's claim lives the TTL, got " + ttl + " ms");
        }
    }

    @Test
    void claimsOfAMatchBeingPlacedLapseWithinTheLeaseWhenNobodyRenewsThem() throws Exception {
        claims = new TicketClaims(redis, Duration.ofSeconds(120), Duration.ofMillis(400));
        List<String> tickets = ids("t", 2);
        assertTrue(claims.claim("m-dead", tickets).isEmpty());
        assertEquals(2, claims.owners(tickets).size());
        Thread.sleep(700);
        assertTrue(claims.owners(tickets).isEmpty(), "a dead director's claims are gone after its lease");
    }

    @Test
    void publishingFailureAfterAllocationHandsTheTicketsBack() throws Exception {
        fleet.addReadyServers(1);
        AssignmentPublisher broken = mock(AssignmentPublisher.class);
        doThrow(new JedisConnectionException("connection reset"))
                .when(broken)
                .publish(anyString(), any(AllocationResult.Allocated.class), anyList());
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m", tickets));

        assertEquals(
                List.of(PlacementOutcome.PUBLISH_FAILED), loop(fleet, broken).runCycle());

        assertEquals(1, fleet.granted.size(), "the server was allocated (its waiting phase will abandon the match)");
        assertEquals(tickets, openMatch.activatedIds());
        assertTrue(claims.owners(tickets).isEmpty());
        assertEquals(1.0, metrics.allocationFailures.labelValues("publish").get());
        assertEquals(1, backoff.failures());
    }

    @Test
    void unreachableRedisAtClaimTimeHandsEveryTicketBackWithoutAllocating() throws Exception {
        fleet.addReadyServers(1);
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m", tickets));
        try (JedisPooled nowhere = new JedisPooled(URI.create("redis://127.0.0.1:" + FreePort.pick()))) {
            claims = new TicketClaims(nowhere, Duration.ofSeconds(120));

            assertEquals(List.of(PlacementOutcome.CLAIM_FAILED), loop(fleet).runCycle());
        }
        assertEquals(0, fleet.attempts.get(), "no server taken for unclaimed tickets");
        assertEquals(tickets, openMatch.activatedIds());
        assertEquals(1.0, metrics.allocationFailures.labelValues("redis").get());
        assertEquals(1, backoff.failures());
    }

    @Test
    void allocatorExceptionHandsTheTicketsBackAndKeepsTheLoopAlive() throws Exception {
        GameServerAllocator exploding = mock(GameServerAllocator.class);
        org.mockito.Mockito.when(exploding.allocate(any())).thenThrow(new IllegalStateException("bug"));
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m", tickets));
        ProfileLoop loop = loop(exploding);

        loop.run();

        assertTrue(openMatch.activatedIds().containsAll(tickets));
        assertTrue(claims.owners(tickets).isEmpty());
    }

    @Test
    void ticketInTwoMatchesGoesToTheFirstAndTheSecondReturnsOnlyItsOtherTickets() throws Exception {
        fleet.addReadyServers(2);
        List<String> first = ids("a", 8);
        List<String> second = new ArrayList<>(ids("b", 7));
        second.add(first.get(3));
        openMatch.nextInvocationReturns(match("a", first), match("b", second));

        assertEquals(
                List.of(PlacementOutcome.PLACED, PlacementOutcome.DUPLICATE),
                loop(fleet).runCycle());

        assertEquals(1, fleet.granted.size());
        assertEquals(second.subList(0, 7), openMatch.activatedIds(), "the shared ticket stays with the first match");
        assertNotNull(redis.get(RedisNames.assignment(first.get(3))));
        assertNull(redis.get(RedisNames.assignment(second.get(0))));
        assertEquals(0, backoff.failures(), "a duplicate is om-core's lag, not a fleet problem");
    }

    /**
     * The frontend re-created a ticket near om-core's TTL while the old one was being matched: the
     * old and the new ticket (same wait, other ids) land in two matches. The player is seated
     * once; the spare ticket is not put back in the pool. A later wait of the same player (queued
     * again after a match) is a new claim and is placed.
     */
    @Test
    void aPlayersWaitIsPlacedOnceEvenThroughTwoTicketsButANewWaitIsPlaced() throws Exception {
        fleet.addReadyServers(2);
        long waitingSince = 1_700_000_000_000L;
        List<Ticket> first = new ArrayList<>();
        List<Ticket> second = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            first.add(Matches.waitingTicket(run + "a" + i, "eu", run + "pa" + i, waitingSince));
            second.add(Matches.waitingTicket(run + "b" + i, "eu", run + "pb" + i, waitingSince));
        }
        // b3 is pa3's re-created ticket: same player, same wait.
        second.set(3, Matches.waitingTicket(run + "b3", "eu", run + "pa3", waitingSince));
        openMatch.nextInvocationReturns(
                Matches.fourVFourOf(run + "m1", "eu", first), Matches.fourVFourOf(run + "m2", "eu", second));

        assertEquals(
                List.of(PlacementOutcome.PLACED, PlacementOutcome.DUPLICATE),
                loop(fleet).runCycle());

        assertEquals(1, fleet.granted.size());
        List<String> spareLeftOut = second.stream()
                .map(Ticket::getId)
                .filter(id -> !id.equals(run + "b3"))
                .toList();
        assertEquals(spareLeftOut, openMatch.activatedIds(), "the spare ticket stays out of the pool");
        assertEquals(0, backoff.failures());

        // pa3 played; the server died; pa3 queued again (a new wait) and is matched with others.
        List<Ticket> third = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            third.add(Matches.waitingTicket(run + "c" + i, "eu", run + "pc" + i, waitingSince + 60_000));
        }
        third.set(0, Matches.waitingTicket(run + "c0", "eu", run + "pa3", waitingSince + 60_000));
        openMatch.nextInvocationReturns(Matches.fourVFourOf(run + "m3", "eu", third));

        assertEquals(List.of(PlacementOutcome.PLACED), loop(fleet).runCycle());
        assertTrue(fleet.granted.get(1).match().getRosterList().stream()
                .anyMatch(p -> p.getPlayerId().equals(run + "pa3")));
    }

    @Test
    void duplicateFromAnotherDirectorIsRefusedThroughRedis() throws Exception {
        fleet.addReadyServers(1);
        List<String> tickets = ids("t", 8);
        claims.claim("match-of-another-director", List.of(tickets.get(5)));
        openMatch.nextInvocationReturns(match("m", tickets));

        assertEquals(List.of(PlacementOutcome.DUPLICATE), loop(fleet).runCycle());

        List<String> others = new ArrayList<>(tickets);
        others.remove(5);
        assertEquals(others, openMatch.activatedIds());
        assertEquals(0, fleet.attempts.get());
    }

    @Test
    void matchBreakingTheRosterContractIsDroppedAndItsTicketsGoBack() throws Exception {
        fleet.addReadyServers(1);
        List<String> tickets = ids("t", 8);
        Match lopsided = match("m", tickets).toBuilder()
                .removeRosters(TicketAttributes.BLUE_ROSTER)
                .build();
        openMatch.nextInvocationReturns(lopsided);

        assertEquals(List.of(PlacementOutcome.INVALID), loop(fleet).runCycle());

        assertEquals(tickets.subList(0, 4), openMatch.activatedIds());
        assertEquals(0, fleet.attempts.get());
    }

    @Test
    void stoppingDirectorHandsBackTheMatchesItHasNotStartedToAllocate() throws Exception {
        fleet.addReadyServers(2);
        GameServerAllocator stopsAfterFirst = match -> {
            stopping.set(true);
            return fleet.allocate(match);
        };
        List<String> first = ids("a", 8);
        List<String> second = ids("b", 8);
        openMatch.nextInvocationReturns(match("a", first), match("b", second));

        assertEquals(
                List.of(PlacementOutcome.PLACED, PlacementOutcome.RETURNED),
                loop(stopsAfterFirst).runCycle());

        assertEquals(second, openMatch.activatedIds(), "the in-flight allocation finished; the next match went back");
        assertNotNull(redis.get(RedisNames.assignment(first.get(0))));
    }

    @Test
    void matchesOfOneCycleArePlacedInParallelUpToTheConcurrencyAndReportedInStreamOrder() throws Exception {
        fleet.addReadyServers(5);
        int concurrency = 3;
        CountDownLatch allInside = new CountDownLatch(concurrency);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        GameServerAllocator slowApi = match -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                // The first three only return once all three are in flight together.
                allInside.countDown();
                if (!allInside.await(10, TimeUnit.SECONDS)) {
                    return new AllocationResult.Failure("placements were not concurrent");
                }
                return fleet.allocate(match);
            } finally {
                inside.decrementAndGet();
            }
        };
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            matches.add(match("m" + i, ids("t" + i + "-", 8)));
        }
        openMatch.nextInvocationReturns(matches.toArray(Match[]::new));
        ExecutorService placements = Executors.newCachedThreadPool();
        try {
            assertEquals(
                    Collections.nCopies(5, PlacementOutcome.PLACED),
                    loop(slowApi, new AssignmentPublisher(redis, Duration.ofSeconds(600)), placements, concurrency)
                            .runCycle());
        } finally {
            placements.shutdownNow();
        }
        assertEquals(concurrency, mostInside.get(), "never more than the concurrency at once");
        assertEquals(5, fleet.granted.size());
    }

    /** The stream may stay open after a match (more matches, a slow MMF); its players must not wait for that. */
    @Test
    void aMatchIsPlacedWhileTheInvocationStreamIsStillOpen() throws Exception {
        fleet.addReadyServers(1);
        CountDownLatch streamOpen = new CountDownLatch(1);
        AtomicBoolean allocatedWhileOpen = new AtomicBoolean();
        GameServerAllocator api = match -> {
            allocatedWhileOpen.set(streamOpen.getCount() == 1);
            streamOpen.countDown(); // now let the stream end
            return fleet.allocate(match);
        };
        openMatch.nextInvocationReturnsThenHolds(streamOpen, match("m", ids("t", 8)));

        assertEquals(List.of(PlacementOutcome.PLACED), loop(api).runCycle());
        assertTrue(allocatedWhileOpen.get() && openMatch.holdReleased(), "allocation waited for the end of the stream");
    }

    @Test
    void matchesStreamedBeforeTheInvocationBrokeArePlacedAndTheProfileBacksOff() throws Exception {
        fleet.addReadyServers(1);
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturnsThenFails(
                Status.UNAVAILABLE.withDescription("om-core restarting"), match("m", tickets));

        assertEquals(List.of(PlacementOutcome.PLACED), loop(fleet).runCycle());

        assertNotNull(
                redis.get(RedisNames.assignment(tickets.get(0))), "om-core deactivated them: they must be placed");
        assertEquals(
                1.0,
                metrics.invocations.labelValues(PROFILE.name(), "unavailable").get());
    }

    @Test
    void omCoreAwayNeverHoldsTheLoopBackLongerThanTheInvokeRetryCap() throws Exception {
        openMatch.failInvocationsWith(Status.UNAVAILABLE.withDescription("om-core restarting"));
        ProfileLoop loop = loop(fleet);

        for (int i = 0; i < 8; i++) {
            loop.runCycle();
            clock.advance(Duration.ofSeconds(1));
        }

        // Exponential back-off would have skipped most of these (1, 2, 4, 8 ... s): every one invoked.
        assertEquals(8, backoff.failures());
        assertEquals(
                8.0,
                metrics.invocations.labelValues(PROFILE.name(), "unavailable").get());
    }

    @Test
    void failedInvocationBacksOff() throws Exception {
        openMatch.failInvocationsWith(Status.UNAVAILABLE.withDescription("om-core restarting"));
        ProfileLoop loop = loop(fleet);

        assertEquals(List.of(), loop.runCycle());
        assertEquals(1, backoff.failures());
        assertEquals(
                1.0,
                metrics.invocations.labelValues(PROFILE.name(), "unavailable").get());
    }

    @Test
    void invocationAsksTheConfiguredMmfForTheProfilesPool() throws Exception {
        loop(fleet).runCycle();

        assertEquals(1, openMatch.invokeRequests.size());
        var request = openMatch.invokeRequests.get(0);
        assertEquals(PROFILE.toProfile(), request.getProfile());
        MatchmakingFunctionSpec mmf = request.getMmfs(0);
        assertEquals("http://127.0.0.1", mmf.getHost());
        assertEquals(MatchmakingFunctionSpec.Type.GRPC, mmf.getType());
    }

    @Test
    void activationsAreSplitIntoCallsOfAtMost500Ids() {
        List<String> tickets = ids("t", 1203);

        List<String> failed = new TicketReactivator(openMatch.stub(), Duration.ofSeconds(5), metrics).activate(tickets);

        assertTrue(failed.isEmpty());
        assertEquals(
                List.of(500, 500, 203),
                openMatch.activateCalls.stream().map(List::size).toList());
        assertEquals(tickets, openMatch.activatedIds());
    }

    private static Assignment assignment(String key) throws Exception {
        String json = redis.get(key);
        assertNotNull(json, "no assignment at " + key);
        Assignment.Builder builder = Assignment.newBuilder();
        JsonFormat.parser().merge(json, builder);
        return builder.build();
    }

    @Test
    void releasedPlayersCanBePlacedAgainInALaterMatch() throws Exception {
        List<String> tickets = ids("t", 8);
        openMatch.nextInvocationReturns(match("m1", tickets));
        ProfileLoop loop = loop(fleet);
        assertEquals(List.of(PlacementOutcome.NO_CAPACITY), loop.runCycle());

        fleet.addReadyServers(1);
        clock.advance(BACKOFF_BASE);
        openMatch.nextInvocationReturns(match("m2", tickets));
        assertEquals(List.of(PlacementOutcome.PLACED), loop.runCycle());
        assertFalse(claims.owners(tickets).containsValue(run + "m1"));
    }
}
