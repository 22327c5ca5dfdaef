package dev.trespasser.mmf.bench;

import com.google.protobuf.Timestamp;
import dev.trespasser.mmf.MatchmakerFunctionServer;
import dev.trespasser.mmf.MmfConfig;
import dev.trespasser.mmf.matching.FormedMatch;
import dev.trespasser.mmf.matching.MatchFormer;
import dev.trespasser.mmf.matching.MatchingResult;
import dev.trespasser.mmf.matching.MatchingRules;
import dev.trespasser.mmf.matching.PoolGenerator;
import dev.trespasser.mmf.matching.QueuedTicket;
import dev.trespasser.mmf.matching.Tickets;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times the matcher alone and a whole Run over loopback gRPC (as om-core calls it: chunks of at
 * most ~4 MB, no half-close), on queues shaped like production. Prints a Markdown table.
 *
 * <p>Arguments: queue sizes (default 1000 10000 50000). Run: see matchmaker-function/README.md,
 * section "Benchmark".
 */
public final class MatchingBenchmark {

    private static final int[] SIZES = {1_000, 10_000, 50_000};
    private static final int WARMUP = 15;
    private static final int MEASURED = 11;
    /** om-core starts a new chunk before one would reach this many bytes. */
    private static final int OM_CORE_CHUNK_BYTES = 4_000_000;

    private record Case(String queue, PoolGenerator shape, int size) {}

    private MatchingBenchmark() {}

    public static void main(String[] args) throws Exception {
        MatchFormer former = new MatchFormer(MatchingRules.DEFAULT);
        int[] sizes = args.length == 0
                ? SIZES
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<Case> cases = new ArrayList<>();
        for (int size : sizes) {
            // Waits 0-120 s: most tickets have reached the tolerance cap.
            cases.add(new Case("waits 0-120 s", PoolGenerator.realistic4v4(), size));
        }
        // A queue that has just opened: tolerances 100-300, the hard case for placement.
        cases.add(new Case("waits 0-10 s", PoolGenerator.realistic4v4().withMaxWait(10), 10_000));
        MatchmakerFunctionServer server = MatchmakerFunctionServer.start(
                MmfConfig.fromEnv(Map.of("MMF_PORT", "0", "MMF_METRICS_PORT", "0")), new PrometheusRegistry());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
        System.out.printf(
                "%d processors, Java %s, load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), loadAverage());
        System.out.println(
                "| queue | tickets | players | matchable players | matches | placed | mean team gap | max team gap"
                        + " | mean spread | matcher median (ms) | Run over gRPC median (ms) | chunks |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        try {
            for (Case benchCase : cases) {
                int size = benchCase.size();
                List<QueuedTicket> pool = benchCase.shape().generate(new Random(size), size);
                double[] matcherMs = new double[MEASURED];
                MatchingResult result = null;
                for (int i = 0; i < WARMUP + MEASURED; i++) {
                    long start = System.nanoTime();
                    result = former.form(pool, Tickets.NOW);
                    if (i >= WARMUP) {
                        matcherMs[i - WARMUP] = (System.nanoTime() - start) / 1e6;
                    }
                }
                List<ChunkedMmfRunRequest> chunks = chunks(pool);
                double[] runMs = new double[MEASURED];
                int streamed = 0;
                for (int i = 0; i < WARMUP + MEASURED; i++) {
                    long start = System.nanoTime();
                    streamed = run(channel, chunks);
                    if (i >= WARMUP) {
                        runMs[i - WARMUP] = (System.nanoTime() - start) / 1e6;
                    }
                }
                int players = pool.stream().mapToInt(QueuedTicket::partySize).sum();
                int matchable = PoolGenerator.matchablePlayers(pool);
                double meanGap = result.matches().stream()
                        .mapToDouble(FormedMatch::ratingGap)
                        .average()
                        .orElse(0);
                double maxGap = result.matches().stream()
                        .mapToDouble(FormedMatch::ratingGap)
                        .max()
                        .orElse(0);
                double meanSpread = result.matches().stream()
                        .mapToDouble(FormedMatch::ratingSpread)
                        .average()
                        .orElse(0);
                System.out.printf(
                        "| %s | %,d | %,d | %,d | %,d (gRPC: %,d) | %.2f %% | %.1f | %.1f | %.0f | %.1f | %.1f | %d |%n",
                        benchCase.queue(),
                        size,
                        players,
                        matchable,
                        result.matches().size(),
                        streamed,
                        100.0 * result.matchedPlayers() / matchable,
                        meanGap,
                        maxGap,
                        meanSpread,
                        median(matcherMs),
                        median(runMs),
                        chunks.size());
            }
        } finally {
            channel.shutdownNow();
            server.close();
        }
        System.out.println("load average at end: " + loadAverage());
    }

    /** Other work on a shared machine skews timings; print what it was. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The pool as om-core would send it, with the wall clock moved to make the waits current. */
    private static List<ChunkedMmfRunRequest> chunks(List<QueuedTicket> pool) {
        long shift = System.currentTimeMillis() / 1000 - Tickets.NOW.getEpochSecond();
        List<ChunkedMmfRunRequest> chunks = new ArrayList<>();
        List<List<Ticket>> parts = new ArrayList<>();
        List<Ticket> current = new ArrayList<>();
        int bytes = 0;
        for (QueuedTicket queued : pool) {
            Ticket base =
                    TicketAttributes.newTicket(queued.mode(), queued.region(), queued.rating(), queued.playerIds());
            Ticket ticket = base.toBuilder()
                    .setId("01J" + queued.ticketId() + "-" + "x".repeat(20))
                    .setAttributes(base.getAttributes().toBuilder()
                            .setCreationTime(Timestamp.newBuilder()
                                    .setSeconds(queued.enqueuedAt().getEpochSecond() + shift)
                                    .setNanos(queued.enqueuedAt().getNano())))
                    .build();
            int size = ticket.getSerializedSize() + 8;
            if (bytes + size >= OM_CORE_CHUNK_BYTES) {
                parts.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(ticket);
            bytes += size;
        }
        parts.add(current);
        for (List<Ticket> part : parts) {
            chunks.add(ChunkedMmfRunRequest.newBuilder()
                    .setNumChunks(parts.size())
                    .setProfile(Profile.newBuilder()
                            .setName("4v4-eu")
                            .putPools(
                                    "everyone",
                                    Pool.newBuilder()
                                            .setParticipants(Roster.newBuilder().addAllTickets(part))
                                            .build()))
                    .build());
        }
        return chunks;
    }

    private static int run(ManagedChannel channel, List<ChunkedMmfRunRequest> chunks) throws Exception {
        AtomicInteger matches = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ChunkedMmfRunRequest> requests = MatchMakingFunctionServiceGrpc.newStub(channel)
                .run(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamedMmfResponse response) {
                        matches.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (ChunkedMmfRunRequest chunk : chunks) {
            requests.onNext(chunk);
        }
        done.get(60, TimeUnit.SECONDS);
        return matches.get();
    }
}
