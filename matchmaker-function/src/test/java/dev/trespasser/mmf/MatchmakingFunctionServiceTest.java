package dev.trespasser.mmf;

import static dev.trespasser.mmf.Requests.chunk;
import static dev.trespasser.mmf.Requests.chunked;
import static dev.trespasser.mmf.Requests.solo;
import static dev.trespasser.mmf.Requests.solos;
import static dev.trespasser.mmf.Requests.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.StringValue;
import dev.trespasser.mmf.matching.MatchingRules;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MatchmakingFunctionServiceTest {

    private static final int MAX_CHUNKS = 64;
    private static final int MAX_TICKETS = 1_000;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private Server server;
    private ManagedChannel channel;

    private RunClient start(InvalidTicketPolicy policy) throws Exception {
        MatchmakingFunctionService service = new MatchmakingFunctionService(
                new MatchmakingFunctionService.Settings(MatchingRules.DEFAULT, MAX_CHUNKS, MAX_TICKETS, policy),
                new MmfMetrics(registry),
                Clock.fixed(Requests.NOW, ZoneOffset.UTC));
        String name = InProcessServerBuilder.generateName();
        server =
                InProcessServerBuilder.forName(name).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        return new RunClient(channel);
    }

    private RunClient start() throws Exception {
        return start(InvalidTicketPolicy.REJECT_RUN);
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    private static Set<String> ticketIds(Match match) {
        Set<String> ids = new HashSet<>();
        for (Roster roster : match.getRostersMap().values()) {
            for (Ticket ticket : roster.getTicketsList()) {
                ids.add(ticket.getId());
            }
        }
        return ids;
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void playerNamesReachTheDirectorInTheRosteredTicketsEvenOnesTheDirectorWillRefuse() throws Exception {
        // The MMF neither reads nor checks names: the director does. A malformed one costs no match.
        RunClient client = start();
        List<Ticket> tickets = new ArrayList<>();
        for (Ticket solo : solos("n", 8)) {
            String player = solo.getId() + "/p0";
            Any names = solo.getId().equals("n3")
                    ? Any.pack(StringValue.of("not a struct"))
                    : TicketAttributes.packPlayerNames(Map.of(player, "name of " + player));
            tickets.add(solo.toBuilder()
                    .putExtensions(TicketAttributes.PLAYER_NAMES, names)
                    .build());
        }
        RunClient.Outcome outcome = client.run(chunked("4v4-eu", "everyone", tickets, 1));
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertEquals(1, outcome.matches().size());
        Map<String, Any> sentNames = new LinkedHashMap<>();
        for (Roster roster : outcome.matches().get(0).getRostersMap().values()) {
            for (Ticket sent : roster.getTicketsList()) {
                sentNames.put(sent.getId(), sent.getExtensionsOrThrow(TicketAttributes.PLAYER_NAMES));
            }
        }
        assertEquals(
                tickets.stream()
                        .collect(Collectors.toMap(
                                Ticket::getId, t -> t.getExtensionsOrThrow(TicketAttributes.PLAYER_NAMES))),
                sentNames);
    }

    @Test
    void poolsSplitOverChunksAreReassembledIntoMatches() throws Exception {
        RunClient client = start();
        List<Ticket> tickets = solos("s", 16);
        RunClient.Outcome outcome = client.run(chunked("4v4-eu", "everyone", tickets, 3));
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertEquals(2, outcome.matches().size());
        Set<String> matched = new HashSet<>();
        for (Match match : outcome.matches()) {
            assertTrue(match.getId().startsWith("m-"));
            assertEquals(Set.of("red", "blue"), match.getRostersMap().keySet());
            for (Roster roster : match.getRostersMap().values()) {
                assertEquals(4, roster.getTicketsCount());
                assertTrue(roster.getExtensionsMap()
                        .get(TicketAttributes.ROSTER_RATING)
                        .is(DoubleValue.class));
                for (Ticket sent : roster.getTicketsList()) {
                    // The original ticket goes back unchanged, so om-core deactivates exactly it.
                    assertTrue(tickets.contains(sent));
                }
            }
            Map<String, Any> extensions = match.getExtensionsMap();
            assertEquals(
                    "4v4",
                    extensions
                            .get(TicketAttributes.MATCH_MODE)
                            .unpack(StringValue.class)
                            .getValue());
            assertEquals(
                    "eu",
                    extensions
                            .get(TicketAttributes.MATCH_REGION)
                            .unpack(StringValue.class)
                            .getValue());
            assertEquals(
                    "4v4-eu",
                    extensions
                            .get(TicketAttributes.MATCH_PROFILE)
                            .unpack(StringValue.class)
                            .getValue());
            double red = extensions
                    .get(TicketAttributes.MATCH_RED_RATING)
                    .unpack(DoubleValue.class)
                    .getValue();
            double blue = extensions
                    .get(TicketAttributes.MATCH_BLUE_RATING)
                    .unpack(DoubleValue.class)
                    .getValue();
            assertTrue(Math.abs(red - blue) <= 1, "balanced: " + red + " vs " + blue);
            matched.addAll(ticketIds(match));
        }
        assertEquals(16, matched.size());
    }

    @Test
    void aClientThatNeverHalfClosesGetsItsMatchesAndCompletion() throws Exception {
        RunClient client = start();
        List<ChunkedMmfRunRequest> chunks = new ArrayList<>(chunked("p", "pool", solos("s", 8), 2));
        // A stray message after the announced chunks is not part of the Run and must not stall it.
        chunks.add(chunk("p", 2, Map.of("pool", solos("late", 8))));
        RunClient.Outcome outcome = client.run(chunks, false);
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertEquals(1, outcome.matches().size());
        assertFalse(ticketIds(outcome.matches().get(0)).stream().anyMatch(id -> id.startsWith("late")));
    }

    @Test
    void aTicketInTwoPoolsIsMatchedOnce() throws Exception {
        RunClient client = start();
        List<Ticket> tickets = solos("s", 9);
        Map<String, List<Ticket>> pools = new LinkedHashMap<>();
        pools.put("low", tickets.subList(0, 5));
        pools.put("high", tickets.subList(4, 9));
        RunClient.Outcome outcome = client.run(List.of(chunk("p", 1, pools)));
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertEquals(1, outcome.matches().size());
        assertEquals(8, ticketIds(outcome.matches().get(0)).size());
    }

    /**
     * om-core's chunk defect (docs/peers.md): every chunk carries the last chunk's roster, so a
     * Run of three chunks brings the same eight tickets three times. Each is matched once and the
     * 16 extra copies are counted.
     */
    @Test
    void aTicketRepeatedInEveryChunkIsMatchedOnceAndCounted() throws Exception {
        RunClient client = start();
        List<Ticket> lastChunk = solos("s", 8);
        List<ChunkedMmfRunRequest> chunks = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            chunks.add(chunk("p", 3, Map.of("pool", lastChunk)));
        }
        RunClient.Outcome outcome = client.run(chunks);
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertEquals(1, outcome.matches().size());
        Match match = outcome.matches().get(0);
        assertEquals(lastChunk.stream().map(Ticket::getId).collect(Collectors.toSet()), ticketIds(match));
        assertEquals(
                8,
                match.getRostersMap().values().stream()
                        .mapToInt(Roster::getTicketsCount)
                        .sum(),
                "no ticket id twice in the match");
        String metrics = scrape();
        assertTrue(metrics.contains("trespasser_mmf_tickets_repeated_total 16.0"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_tickets_received_total 8.0"), metrics);
    }

    @Test
    void aTicketInTwoPoolsIsNotCountedAsRepeated() throws Exception {
        RunClient client = start();
        List<Ticket> tickets = solos("s", 9);
        Map<String, List<Ticket>> pools = new LinkedHashMap<>();
        pools.put("low", tickets.subList(0, 5));
        pools.put("high", tickets.subList(4, 9));
        client.run(List.of(chunk("p", 1, pools)));
        assertTrue(scrape().contains("trespasser_mmf_tickets_repeated_total 0.0"), scrape());
    }

    @Test
    void aPoolWithoutAFullMatchCompletesWithNoMatches() throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(List.of(chunk("p", 1, Map.of("pool", solos("s", 7)))));
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertTrue(outcome.matches().isEmpty(), "never a match with empty rosters");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, MAX_CHUNKS + 1, Integer.MAX_VALUE})
    void anAbsurdChunkCountIsRejected(int numChunks) throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(List.of(chunk("p", numChunks, Map.of("pool", solos("s", 8)))));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("num_chunks"),
                outcome.status().toString());
        assertTrue(outcome.matches().isEmpty());
    }

    @Test
    void chunksDisagreeingOnTheirCountAreRejectedWithoutAnyMatch() throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(List.of(
                chunk("p", 2, Map.of("pool", solos("a", 8))), chunk("p", 3, Map.of("pool", solos("b", 8)))));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(outcome.status().getDescription().contains("chunk 2 says num_chunks=3"));
        assertTrue(outcome.matches().isEmpty());
    }

    @Test
    void aChunkWithoutProfileIsRejected() throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(
                List.of(ChunkedMmfRunRequest.newBuilder().setNumChunks(1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(outcome.status().getDescription().contains("no profile"));
    }

    @Test
    void chunksOfDifferentProfilesAreRejected() throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(List.of(
                chunk("p", 2, Map.of("pool", solos("a", 4))), chunk("q", 2, Map.of("pool", solos("b", 4)))));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
    }

    @Test
    void aStreamClosedBeforeTheLastChunkIsRejected() throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(List.of(chunk("p", 2, Map.of("pool", solos("a", 8)))), true);
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(outcome.status().getDescription().contains("after 1 of 2 chunks"));
        assertTrue(outcome.matches().isEmpty());
    }

    @Test
    void moreTicketsThanTheLimitAreRejected() throws Exception {
        RunClient client = start();
        RunClient.Outcome outcome = client.run(chunked("p", "pool", solos("s", MAX_TICKETS + 1), 4));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(outcome.status().getDescription().contains("more than " + MAX_TICKETS));
    }

    static Stream<Arguments> brokenTickets() {
        Ticket good = solo("bad", 1500);
        UnaryOperator<Ticket.FilterableData> noRating =
                a -> a.toBuilder().clearDoubleArgs().build();
        return Stream.of(
                Arguments.of(
                        "no rating",
                        good.toBuilder()
                                .setAttributes(noRating.apply(good.getAttributes()))
                                .build()),
                Arguments.of(
                        "NaN rating",
                        good.toBuilder()
                                .setAttributes(good.getAttributes().toBuilder()
                                        .putDoubleArgs(TicketAttributes.RATING, Double.NaN))
                                .build()),
                Arguments.of(
                        "no players",
                        good.toBuilder()
                                .removeExtensions(TicketAttributes.PLAYERS)
                                .build()),
                Arguments.of(
                        "players of the wrong type",
                        good.toBuilder()
                                .putExtensions(TicketAttributes.PLAYERS, Any.pack(StringValue.of("a,b")))
                                .build()),
                Arguments.of(
                        "empty player list",
                        good.toBuilder()
                                .putExtensions(TicketAttributes.PLAYERS, TicketAttributes.packPlayers(List.of()))
                                .build()),
                Arguments.of("party of five in 4v4", ticket("bad", GameMode.FOUR_V_FOUR, 1500, 5, 10)),
                Arguments.of("party of three in 2v2", ticket("bad", GameMode.TWO_V_TWO, 1500, 3, 10)),
                Arguments.of(
                        "unknown mode",
                        good.toBuilder()
                                .setAttributes(good.getAttributes().toBuilder()
                                        .clearTags()
                                        .addTags("mode.5v5"))
                                .build()),
                Arguments.of("no id", good.toBuilder().clearId().build()),
                Arguments.of(
                        "a player already queued in another ticket",
                        good.toBuilder()
                                .putExtensions(
                                        TicketAttributes.PLAYERS, TicketAttributes.packPlayers(List.of("ok0/p0")))
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTickets")
    void aBrokenTicketRejectsTheRunAndNothingIsMatched(String what, Ticket broken) throws Exception {
        RunClient client = start(InvalidTicketPolicy.REJECT_RUN);
        List<Ticket> tickets = new ArrayList<>(solos("ok", 8));
        tickets.add(broken);
        RunClient.Outcome outcome = client.run(chunked("p", "pool", tickets, 2));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode(), what);
        assertTrue(
                outcome.status().getDescription().contains("invalid ticket"),
                outcome.status().toString());
        assertTrue(outcome.matches().isEmpty(), "nothing is lost: no ticket was put in a match");
        assertTrue(scrape().contains("trespasser_mmf_runs_total{outcome=\"invalid_argument\"} 1.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTickets")
    void underTheSkipPolicyABrokenTicketIsLeftOutAndTheRestMatch(String what, Ticket broken) throws Exception {
        RunClient client = start(InvalidTicketPolicy.SKIP_TICKET);
        List<Ticket> tickets = new ArrayList<>(solos("ok", 8));
        tickets.add(broken);
        RunClient.Outcome outcome = client.run(chunked("p", "pool", tickets, 2));
        assertEquals(Status.Code.OK, outcome.status().getCode(), what);
        assertEquals(1, outcome.matches().size());
        assertFalse(ticketIds(outcome.matches().get(0)).contains(broken.getId()));
        assertTrue(scrape().contains("trespasser_mmf_tickets_invalid_total 1.0"), what);
    }

    @Test
    void runsAreCountedAndTimedInPrometheusNames() throws Exception {
        RunClient client = start();
        client.run(chunked("p", "pool", solos("s", 16), 2));
        String metrics = scrape();
        assertTrue(metrics.contains("trespasser_mmf_runs_total{outcome=\"ok\"} 1.0"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_matches_total{mode=\"4v4\"} 2.0"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_tickets_received_total 16.0"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_tickets_matched_total 16.0"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_chunks_received_total 2.0"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_run_duration_seconds_count 1"), metrics);
        assertTrue(metrics.contains("trespasser_mmf_runs_in_progress 0.0"), metrics);
    }
}
