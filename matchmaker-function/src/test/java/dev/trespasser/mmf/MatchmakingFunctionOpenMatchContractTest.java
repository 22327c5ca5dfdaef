package dev.trespasser.mmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.trespasser.mmf.matching.GameMode;
import dev.trespasser.peers.OmCore;
import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.CreateTicketRequest;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The function as the real om-core calls it: om-core filters the pool, chunks it, never
 * half-closes, and deactivates every ticket of a returned match.
 */
class MatchmakingFunctionOpenMatchContractTest {

  private static final Path LOGS = Path.of("target/peer-logs");

  private OmCore omCore;
  private MatchmakerFunctionServer mmf;
  private ManagedChannel channel;
  private OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch;

  @BeforeEach
  void startPeers() throws Exception {
    omCore = OmCore.start(LOGS, Map.of());
    mmf =
        MatchmakerFunctionServer.start(
            MmfConfig.fromEnv(Map.of("MMF_PORT", "0", "MMF_METRICS_PORT", "0")),
            new PrometheusRegistry());
    channel = omCore.newChannel();
    openMatch = OpenMatchServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stopPeers() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (mmf != null) {
      mmf.close();
    }
    if (omCore != null) {
      omCore.close();
    }
  }

  private List<String> queue(int tickets, String region, int paddingBytes) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < tickets; i++) {
      Ticket ticket =
          TicketAttributes.newTicket(GameMode.FOUR_V_FOUR, region, 1400 + 10 * i, List.of(region + "-player-" + i));
      if (paddingBytes > 0) {
        // Extensions pass through om-core untouched; this makes the pool big enough to chunk.
        ticket =
            ticket.toBuilder()
                .putExtensions(
                    "padding", Any.pack(BytesValue.of(ByteString.copyFrom(new byte[paddingBytes]))))
                .build();
      }
      ids.add(
          openMatch
              .createTicket(CreateTicketRequest.newBuilder().setTicket(ticket).build())
              .getTicketId());
    }
    openMatch.activateTickets(ActivateTicketsRequest.newBuilder().addAllTicketIds(ids).build());
    return ids;
  }

  private List<Match> invoke(String region) {
    MmfRequest request =
        MmfRequest.newBuilder()
            .setProfile(
                Profile.newBuilder()
                    .setName("4v4-" + region)
                    .putPools(
                        "all",
                        Pool.newBuilder()
                            .setName("all")
                            .addTagPresentFilters(
                                Pool.TagPresentFilter.newBuilder()
                                    .setTag(TicketAttributes.modeTag(GameMode.FOUR_V_FOUR)))
                            .addStringEqualsFilters(
                                Pool.StringEqualsFilter.newBuilder()
                                    .setStringArg(TicketAttributes.REGION)
                                    .setValue(region))
                            .build()))
            .addMmfs(
                MatchmakingFunctionSpec.newBuilder()
                    .setName("trespasser-mmf")
                    .setHost("http://127.0.0.1")
                    .setPort(mmf.port())
                    .setType(MatchmakingFunctionSpec.Type.GRPC))
            .build();
    List<Match> matches = new ArrayList<>();
    Iterator<StreamedMmfResponse> stream =
        openMatch.withDeadlineAfter(30, TimeUnit.SECONDS).invokeMatchmakingFunctions(request);
    stream.forEachRemaining(response -> matches.add(response.getMatch()));
    return matches;
  }

  /** Invokes until every queued ticket is in a match; om-core may take a moment to see them. */
  private List<Match> matchAll(String region, Set<String> queued) throws InterruptedException {
    List<Match> matches = new ArrayList<>();
    Set<String> matched = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!matched.equals(queued) && System.nanoTime() < deadline) {
      for (Match match : invoke(region)) {
        matches.add(match);
        for (Roster roster : match.getRostersMap().values()) {
          for (Ticket ticket : roster.getTicketsList()) {
            assertTrue(matched.add(ticket.getId()), "ticket matched twice: " + ticket.getId());
          }
        }
      }
      Thread.sleep(100);
    }
    assertEquals(queued, matched);
    return matches;
  }

  @Test
  void everyQueuedTicketIsMatchedOnceAndThenLeavesThePool() throws Exception {
    Set<String> queued = new HashSet<>(queue(16, "eu", 0));
    List<Match> matches = matchAll("eu", queued);
    assertEquals(2, matches.size());
    for (Match match : matches) {
      assertEquals(4, match.getRostersOrThrow(TicketAttributes.RED_ROSTER).getTicketsCount());
      assertEquals(4, match.getRostersOrThrow(TicketAttributes.BLUE_ROSTER).getTicketsCount());
    }
    // om-core deactivated the matched tickets: nothing is left to match.
    Thread.sleep(500);
    assertTrue(invoke("eu").isEmpty());
  }

  @Test
  void aPoolOmCoreSendsInSeveralChunksIsMatchedWhole() throws Exception {
    // 24 tickets of ~250 kB: about 6 MB, so om-core needs two chunks (it cuts them at 4 MB).
    Set<String> queued = new HashSet<>(queue(24, "us", 250_000));
    List<Match> matches = matchAll("us", queued);
    assertEquals(3, matches.size());
    // om-core may have invoked before it saw every ticket; at least one Run came in chunks.
    String metrics = mmfMetrics();
    double chunks = sample(metrics, "trespasser_mmf_chunks_received_total");
    double runs = sample(metrics, "trespasser_mmf_runs_total{outcome=\"ok\"}");
    assertTrue(chunks > runs, metrics);
  }

  private static double sample(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + series + " in\n" + metrics);
  }

  private String mmfMetrics() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + mmf.metricsPort() + "/metrics"))
            .build();
    return client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }
}
