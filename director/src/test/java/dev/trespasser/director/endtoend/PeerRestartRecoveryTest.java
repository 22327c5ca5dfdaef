package dev.trespasser.director.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.trespasser.director.allocation.AllocationApiStub;
import dev.trespasser.frontend.AssignmentStream;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.GameMode;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 §7: no player is stranded by a peer restart. The real stack of {@link MatchmakingStack}
 * (Redis, om-core with in-memory state, the MMF, the frontend, the director with the real
 * AgonesAllocator against the allocation API stub), the frontend and director with their
 * production defaults. 32 players wait in two regions (two 4v4 matches each); a peer dies; every
 * player must be matched within 15 s of the peer's return, and seated exactly once.
 */
class PeerRestartRecoveryTest {

    private static final int PLAYERS = 32;
    private static final long RECOVERY_BOUND_MS = 15_000;
    private static final Map<String, String> DIRECTOR = Map.of("DIRECTOR_PROFILES", "4v4:eu,4v4:us");

    @TempDir
    java.nio.file.Path keys;

    private MatchmakingStack stack;
    private DirectorProcess killed;

    private record Player(Session session, AssignmentStream stream) {
        String id() {
            return session.getPlayerId();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (killed != null) {
            killed.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void omCoreKilledWhilePlayersWaitLosesNobodyOnceItIsBack() throws Exception {
        stack = MatchmakingStack.startWithRestartableOmCore(keys, Map.of(), Map.of());
        List<Player> players = queue(stack.frontend());
        // Their tickets are in om-core's pools before it dies.
        stack.probe()
                .awaitPool(
                        dev.trespasser.proto.GameMode.FOUR_V_FOUR,
                        "eu",
                        pool -> pool.size() == PLAYERS / 2,
                        "every eu ticket active");

        stack.omCoreService().kill();
        // The director comes up while om-core is away: its invocations fail until om-core is back.
        stack.allocationApi().addReadyServers(PLAYERS / 8);
        stack.startDirector(DIRECTOR);
        // Long enough for gRPC's own reconnect back-off (1 s × 1.6 per attempt) to exceed the bound.
        Thread.sleep(25_000);
        assertEquals(0, stack.allocationApi().requests.size(), "nothing can be matched without om-core");

        stack.omCoreService().restart();
        long back = System.nanoTime();

        awaitEveryoneMatched(players, back, "om-core's return");
        assertSeatedOnce(players, stack.allocationApi());
    }

    @Test
    void directorKilledBetweenInvocationAndAllocationLosesNobodyOnceANewOneRuns() throws Exception {
        stack = MatchmakingStack.start(keys, Map.of(), Map.of());
        List<Player> players = queue(stack.frontend());
        stack.probe()
                .awaitPool(
                        dev.trespasser.proto.GameMode.FOUR_V_FOUR,
                        "us",
                        pool -> pool.size() == PLAYERS / 2,
                        "every us ticket active");

        // The first director gets every match from om-core (which deactivates their tickets),
        // claims them, and hangs in the allocation API; then it is killed.
        AllocationApiStub api = stack.allocationApi();
        api.holdRequests();
        killed = stack.startDirectorProcess(DIRECTOR, "director-killed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (api.held.get() < PLAYERS / 8) {
            if (System.nanoTime() > deadline || !killed.isAlive()) {
                fail("the first director never reached allocation for every match (" + api.held.get() + " held):\n"
                        + killed.output());
            }
            Thread.sleep(20);
        }
        assertTrue(
                stack.frontend().redis().keys(RedisNames.ticketClaim("*")).size() >= PLAYERS, "every ticket claimed");
        killed.kill();
        api.releaseHeld();
        int heldRequests = api.requests.size();

        api.addReadyServers(PLAYERS / 8);
        stack.startDirector(DIRECTOR);
        long started = System.nanoTime();

        awaitEveryoneMatched(players, started, "the new director's start");
        assertSeatedOnce(players, api);
        assertEquals(heldRequests + PLAYERS / 8, api.requests.size(), "one allocation per match after the restart");
    }

    private static List<Player> queue(FrontendHarness frontend) {
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            Session session = frontend.guest();
            frontend.as(session)
                    .findMatch(FindMatchRequest.newBuilder()
                            .setMode(GameMode.GAME_MODE_4V4)
                            .setRegion(i % 2 == 0 ? "eu" : "us")
                            .build());
            players.add(new Player(session, AssignmentStream.open(frontend.asyncAs(session))));
        }
        return players;
    }

    /** Every stream ends with its assignment within the bound, counted from {@code sinceNanos}. */
    private static void awaitEveryoneMatched(List<Player> players, long sinceNanos, String since) throws Exception {
        long deadline = sinceNanos + TimeUnit.MILLISECONDS.toNanos(RECOVERY_BOUND_MS);
        List<String> waiting = new ArrayList<>();
        for (Player player : players) {
            try {
                Status end = player.stream().end.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertEquals(Status.Code.OK, end.getCode(), player.id() + ": " + end);
            } catch (TimeoutException e) {
                waiting.add(player.id());
            }
        }
        assertEquals(List.of(), waiting, "players still waiting " + RECOVERY_BOUND_MS + " ms after " + since);
        System.out.printf(
                "every one of %d players matched within %.1f s of %s%n",
                players.size(), (System.nanoTime() - sinceNanos) / 1e9, since);
    }

    /** The granted allocations seat every player exactly once, and each got that seat. */
    private static void assertSeatedOnce(List<Player> players, AllocationApiStub api) throws Exception {
        Map<String, String> matchOf = new HashMap<>();
        for (AllocationApiStub.Granted granted : api.granted) {
            MatchAllocation match = MatchmakingStack.allocationOf(granted.request());
            for (RosterPlayer rostered : match.getRosterList()) {
                assertEquals(
                        null,
                        matchOf.put(rostered.getPlayerId(), match.getMatchId()),
                        rostered.getPlayerId() + " seated twice");
            }
        }
        assertEquals(PLAYERS / 8, api.granted.size(), "one server per match");
        for (Player player : players) {
            assertEquals(matchOf.get(player.id()), player.stream().assignment().getMatchId(), player.id());
        }
    }
}
