package dev.trespasser.director.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.allocation.AllocationApiStub.Reply;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GameServerAllocation request and the reading of its reply, against a stub of the aggregated API. */
class AgonesAllocatorTest {

    private static final MatchAllocation MATCH = MatchAllocation.newBuilder()
            .setMatchId("m-42")
            .setMode("4v4")
            .setMapName("depot")
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p-1").setTeam(RosterTeam.ROSTER_TEAM_RED))
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p-2").setTeam(RosterTeam.ROSTER_TEAM_BLUE))
            .setAllocatedAtEpochSeconds(1_795_000_000L)
            .build();

    private AllocationApiStub api;
    private AgonesAllocator allocator;

    @BeforeEach
    void start() throws Exception {
        api = new AllocationApiStub("games");
        allocator = allocator(4);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private AgonesAllocator allocator(int contentionAttempts) throws Exception {
        return new AgonesAllocator(
                AgonesAllocator.apiClient(Optional.of(api.url()), Optional.empty(), Duration.ofSeconds(5)),
                new AgonesAllocator.Settings(
                        "games",
                        "trespasser-match",
                        Map.of("trespasser.dev/build", "b17"),
                        "game",
                        contentionAttempts,
                        Duration.ofMillis(5)));
    }

    @Test
    void allocatedReplyGivesTheServerAddressAndThePortNamedGame() throws Exception {
        api.script(Reply.allocated());

        AllocationResult result = allocator.allocate(MATCH);

        assertEquals(
                new AllocationResult.Allocated(AllocationApiStub.GAME_SERVER, AllocationApiStub.ADDRESS, 7654), result);
    }

    @Test
    void requestSelectsReadyServersOfTheFleetPackedAndCarriesTheMatchAsMetadata() throws Exception {
        api.script(Reply.allocated());

        allocator.allocate(MATCH);

        assertEquals(1, api.requests.size());
        AllocationApiStub.Request request = api.requests.get(0);
        assertTrue(request.contentType().startsWith("application/json"), request.contentType());
        JsonObject body = request.body();
        assertEquals("allocation.agones.dev/v1", body.get("apiVersion").getAsString());
        assertEquals("GameServerAllocation", body.get("kind").getAsString());
        JsonObject spec = body.getAsJsonObject("spec");
        assertEquals("Packed", spec.get("scheduling").getAsString());

        JsonArray selectors = spec.getAsJsonArray("selectors");
        assertEquals(1, selectors.size());
        JsonObject selector = selectors.get(0).getAsJsonObject();
        assertEquals("Ready", selector.get("gameServerState").getAsString());
        JsonObject matchLabels = selector.getAsJsonObject("matchLabels");
        assertEquals("trespasser-match", matchLabels.get("agones.dev/fleet").getAsString());
        assertEquals("b17", matchLabels.get("trespasser.dev/build").getAsString());
        assertEquals(2, matchLabels.size());

        JsonObject metadata = spec.getAsJsonObject("metadata");
        assertEquals(
                "4v4",
                metadata.getAsJsonObject("labels").get("trespasser.dev/mode").getAsString());
        JsonObject annotations = metadata.getAsJsonObject("annotations");
        assertEquals("m-42", annotations.get("trespasser.dev/match-id").getAsString());
        MatchAllocation.Builder parsed = MatchAllocation.newBuilder();
        JsonFormat.parser().merge(annotations.get("trespasser.dev/match").getAsString(), parsed);
        assertEquals(MATCH, parsed.build(), "the annotation parses back to the same MatchAllocation");
    }

    @Test
    void unAllocatedMeansNoCapacity() throws Exception {
        api.script(Reply.unAllocated());

        assertInstanceOf(AllocationResult.NoCapacity.class, allocator.allocate(MATCH));
        assertEquals(1, api.requests.size(), "no capacity is not retried by the allocator");
    }

    @Test
    void contentionIsRetriedThenSucceeds() throws Exception {
        api.script(Reply.contention(), Reply.contention(), Reply.allocated());

        AllocationResult result = allocator.allocate(MATCH);

        assertInstanceOf(AllocationResult.Allocated.class, result);
        assertEquals(3, api.requests.size());
        assertEquals(api.requests.get(0).body(), api.requests.get(2).body(), "a retry sends the same allocation");
    }

    @Test
    void contentionThatOutlastsTheAttemptsIsReported() throws Exception {
        api.script(Reply.contention(), Reply.contention(), Reply.contention(), Reply.allocated());

        AllocationResult result = allocator(3).allocate(MATCH);

        assertInstanceOf(AllocationResult.Contention.class, result);
        assertEquals(3, api.requests.size());
    }

    @Test
    void httpErrorIsAFailureCarryingTheBody() throws Exception {
        api.script(
                Reply.error(
                        403,
                        "{\"kind\":\"Status\",\"message\":\"gameserverallocations.allocation.agones.dev is forbidden\",\"code\":403}"));

        AllocationResult result = allocator.allocate(MATCH);

        AllocationResult.Failure failure = assertInstanceOf(AllocationResult.Failure.class, result);
        assertTrue(failure.detail().contains("403") && failure.detail().contains("forbidden"), failure.detail());
    }

    @Test
    void unreachableApiIsAFailure() throws Exception {
        String url = api.url();
        api.close();
        AgonesAllocator unreachable = new AgonesAllocator(
                AgonesAllocator.apiClient(Optional.of(url), Optional.empty(), Duration.ofSeconds(2)),
                new AgonesAllocator.Settings("games", "trespasser-match", Map.of(), "game", 2, Duration.ofMillis(5)));

        assertInstanceOf(AllocationResult.Failure.class, unreachable.allocate(MATCH));
    }

    @Test
    void allocatedServerWithoutTheGamePortIsAFailure() throws Exception {
        api.script(Reply.allocated());
        AgonesAllocator wrongPortName = new AgonesAllocator(
                AgonesAllocator.apiClient(Optional.of(api.url()), Optional.empty(), Duration.ofSeconds(5)),
                new AgonesAllocator.Settings(
                        "games", "trespasser-match", Map.of(), "websocket", 1, Duration.ofMillis(5)));

        AllocationResult.Failure failure =
                assertInstanceOf(AllocationResult.Failure.class, wrongPortName.allocate(MATCH));
        assertTrue(failure.detail().contains("websocket"), failure.detail());
    }

    @Test
    void stubRefusesEverythingButCreateLikeTheAggregatedApi() throws Exception {
        HttpResponse<String> get = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(api.url()
                                        + "/apis/allocation.agones.dev/v1/namespaces/games/gameserverallocations"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());

        api.script(Reply.allocated());
        allocator.allocate(MATCH);
        assertEquals(1, api.refusedMethods.size(), "the allocator itself only POSTs: " + api.refusedMethods);
    }
}
