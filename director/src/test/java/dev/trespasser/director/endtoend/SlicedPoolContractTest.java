package dev.trespasser.director.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.director.allocation.AllocationApiStub;
import dev.trespasser.frontend.AssignmentStream;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: a pool larger than {@code DIRECTOR_MAX_POOL_TICKETS} is invoked as creation-time
 * slices, with the real frontend (which keeps the queued-tickets count), om-core ac392a0, Redis
 * and the MMF. The limit is 16 here, so 48 queued players are three slices of two matches each.
 */
class SlicedPoolContractTest {

    private static final int PLAYERS = 48;
    private static final int MAX_POOL_TICKETS = 16;

    @TempDir
    java.nio.file.Path keys;

    private MatchmakingStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPoolOverTheLimitIsInvokedInSlicesAndEveryPlayerIsMatchedExactlyOnce() throws Exception {
        stack = MatchmakingStack.start(keys, Map.of("OM_MATCH_TICKET_DEACTIVATION_WAIT", "true"), Map.of());
        FrontendHarness frontend = stack.frontend();
        Map<String, AssignmentStream> streams = new HashMap<>();
        for (int i = 0; i < PLAYERS; i++) {
            Session player = frontend.guest();
            frontend.as(player)
                    .findMatch(FindMatchRequest.newBuilder()
                            .setMode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_4V4)
                            .setRegion("eu")
                            .build());
            streams.put(player.getPlayerId(), AssignmentStream.open(frontend.asyncAs(player)));
        }
        assertEquals(
                PLAYERS,
                frontend.redis().zcard(RedisNames.queuedTickets("4v4", "eu")),
                "the frontend counts every queued ticket");
        stack.probe()
                .awaitPool(
                        GameMode.FOUR_V_FOUR, "eu", pool -> pool.size() == PLAYERS, "every ticket in om-core's pool");

        AllocationApiStub api = stack.allocationApi();
        api.addReadyServers(PLAYERS / 8);
        stack.startDirector(Map.of(
                "DIRECTOR_PROFILES", "4v4:eu",
                "DIRECTOR_MAX_POOL_TICKETS", Integer.toString(MAX_POOL_TICKETS),
                "DIRECTOR_CYCLE_MS", "100"));

        for (Map.Entry<String, AssignmentStream> player : streams.entrySet()) {
            Status end = player.getValue().end.get(30, TimeUnit.SECONDS);
            assertEquals(Status.Code.OK, end.getCode(), player.getKey() + ": " + end);
        }

        Map<String, String> matchOf = new HashMap<>();
        for (AllocationApiStub.Granted granted : api.granted) {
            MatchAllocation match = MatchmakingStack.allocationOf(granted.request());
            for (RosterPlayer rostered : match.getRosterList()) {
                assertNull(
                        matchOf.put(rostered.getPlayerId(), match.getMatchId()),
                        rostered.getPlayerId() + " matched twice");
                assertEquals(
                        match.getMatchId(),
                        streams.get(rostered.getPlayerId()).assignment().getMatchId());
            }
        }
        assertEquals(streams.keySet(), matchOf.keySet(), "every player matched, nobody else");
        assertEquals(PLAYERS / 8, api.granted.size());
        assertEquals(
                0,
                counter(stack.mmfRegistry(), "trespasser_mmf_tickets_repeated"),
                "the MMF never saw a ticket twice in one pool");
        assertTrue(
                counter(stack.directorRegistry(), "trespasser_director_sliced_invocations")
                        >= PLAYERS / MAX_POOL_TICKETS,
                "the director invoked the pool as slices");
        assertEquals(
                0, frontend.redis().zcard(RedisNames.queuedTickets("4v4", "eu")), "delivered tickets leave the count");
    }

    private static double counter(PrometheusRegistry registry, String name) {
        List<Double> values = new ArrayList<>();
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                ((CounterSnapshot) snapshot).getDataPoints().forEach(point -> values.add(point.getValue()));
            }
        }
        assertTrue(!values.isEmpty(), "no samples of " + name);
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }
}
