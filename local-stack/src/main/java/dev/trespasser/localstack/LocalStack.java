package dev.trespasser.localstack;

import com.google.protobuf.DoubleValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.StringValue;
import dev.trespasser.mmf.MatchmakerFunctionServer;
import dev.trespasser.mmf.MmfConfig;
import dev.trespasser.mmf.TicketAttributes;
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
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The README's run command. Today it runs the matchmaking half of the platform with the real
 * parts: om-core (in-memory state) and our matchmaking function, fed by simulated players who
 * queue at a steady rate, and prints every match and a summary. Director, frontend, match servers
 * and bots join it as they are built.
 */
public final class LocalStack {
    private static final long IDLE_SECONDS = 10;

    private final int players;
    private final double arrivalsPerSecond;
    private final List<String> regions;
    private final long timeoutSeconds;

    private final Random random = new Random(7);
    private final Map<String, Long> enqueuedAtNanos = new HashMap<>();
    private final Map<String, String> regionOfTicket = new HashMap<>();
    private final List<Double> secondsToMatch = new ArrayList<>();
    private final List<Double> ratingGaps = new ArrayList<>();

    LocalStack(Map<String, String> env) {
        this.players = Integer.parseInt(env.getOrDefault("LOCAL_PLAYERS", "64"));
        this.arrivalsPerSecond = Double.parseDouble(env.getOrDefault("LOCAL_ARRIVALS_PER_SECOND", "16"));
        this.regions = List.of(env.getOrDefault("LOCAL_REGIONS", "eu,us").split(","));
        this.timeoutSeconds = Long.parseLong(env.getOrDefault("LOCAL_TIMEOUT_SECONDS", "60"));
    }

    public static void main(String[] args) throws Exception {
        new LocalStack(System.getenv()).run(Path.of("target", "local-stack-logs"));
    }

    void run(Path logDir) throws Exception {
        MmfConfig mmfConfig = MmfConfig.fromEnv(Map.of("MMF_PORT", "0", "MMF_METRICS_PORT", "0"));
        try (OmCore omCore = OmCore.start(logDir, Map.of("OM_MATCH_TICKET_DEACTIVATION_WAIT", "true"));
             MatchmakerFunctionServer mmf = MatchmakerFunctionServer.start(mmfConfig, new PrometheusRegistry())) {
            ManagedChannel channel = omCore.newChannel();
            try {
                System.out.printf("om-core (real, in-memory) on %s, log %s%n", omCore.grpcTarget(), omCore.process().logFile());
                System.out.printf("matchmaking function on :%d, metrics http://127.0.0.1:%d/metrics%n", mmf.port(), mmf.metricsPort());
                System.out.printf("%d simulated players queue for 4v4 in %s at %.0f/s%n%n", players, regions, arrivalsPerSecond);
                play(OpenMatchServiceGrpc.newBlockingStub(channel), mmf.port());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private void play(OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch, int mmfPort) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int queued = 0;
        int matched = 0;
        int matchCount = 0;
        long lastMatchAt = start;
        while (System.nanoTime() < deadline && (queued < players || anyRegionCanMatch())) {
            // Players out of every rating window stay queued; a demo stops waiting for them.
            if (queued == players && System.nanoTime() - lastMatchAt > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
                break;
            }
            long due = Math.min(players, (long) ((System.nanoTime() - start) / 1e9 * arrivalsPerSecond) + 1);
            List<String> fresh = new ArrayList<>();
            for (; queued < due; queued++) {
                fresh.add(enqueue(openMatch, "player-" + queued));
            }
            if (!fresh.isEmpty()) {
                openMatch.activateTickets(ActivateTicketsRequest.newBuilder().addAllTicketIds(fresh).build());
            }
            for (String region : regions) {
                for (Match match : invoke(openMatch, region, mmfPort)) {
                    matchCount++;
                    matched += report(match, matchCount);
                    lastMatchAt = System.nanoTime();
                }
            }
            Thread.sleep(200);
        }
        summary(queued, matched, matchCount, (System.nanoTime() - start) / 1e9);
        if (!regionOfTicket.isEmpty()) {
            System.out.printf("%d players left waiting: too few in their region, or outside every rating window%n", regionOfTicket.size());
        }
    }

    private String enqueue(OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch, String playerId) {
        String region = regions.get(random.nextInt(regions.size()));
        double rating = Math.round(1500 + random.nextGaussian() * 250);
        Ticket ticket = TicketAttributes.newTicket(GameMode.FOUR_V_FOUR, region, rating, List.of(playerId));
        String id = openMatch.createTicket(CreateTicketRequest.newBuilder().setTicket(ticket).build()).getTicketId();
        enqueuedAtNanos.put(id, System.nanoTime());
        regionOfTicket.put(id, region);
        return id;
    }

    private List<Match> invoke(OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch, String region, int mmfPort) {
        MmfRequest request = MmfRequest.newBuilder()
                .setProfile(Profile.newBuilder()
                        .setName("local.4v4." + region)
                        .putPools("queue", Pool.newBuilder()
                                .setName("queue")
                                .addTagPresentFilters(Pool.TagPresentFilter.newBuilder().setTag(TicketAttributes.modeTag(GameMode.FOUR_V_FOUR)))
                                .addStringEqualsFilters(Pool.StringEqualsFilter.newBuilder().setStringArg(TicketAttributes.REGION).setValue(region))
                                .build()))
                .addMmfs(MatchmakingFunctionSpec.newBuilder()
                        .setName("trespasser-mmf").setHost("http://127.0.0.1").setPort(mmfPort)
                        .setType(MatchmakingFunctionSpec.Type.GRPC))
                .build();
        List<Match> matches = new ArrayList<>();
        openMatch.withDeadlineAfter(10, TimeUnit.SECONDS).invokeMatchmakingFunctions(request)
                .forEachRemaining(response -> matches.add(response.getMatch()));
        return matches;
    }

    private int report(Match match, int number) {
        long now = System.nanoTime();
        double red = doubleExtension(match, TicketAttributes.MATCH_RED_RATING);
        double blue = doubleExtension(match, TicketAttributes.MATCH_BLUE_RATING);
        ratingGaps.add(Math.abs(red - blue));
        int playersInMatch = 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "match %3d %-12s", number, match.getId()));
        for (String team : List.of(TicketAttributes.RED_ROSTER, TicketAttributes.BLUE_ROSTER)) {
            Roster roster = match.getRostersOrDefault(team, Roster.getDefaultInstance());
            line.append(String.format(Locale.ROOT, " %s[", team));
            for (Ticket ticket : roster.getTicketsList()) {
                Long enqueued = enqueuedAtNanos.remove(ticket.getId());
                regionOfTicket.remove(ticket.getId());
                if (enqueued != null) {
                    secondsToMatch.add((now - enqueued) / 1e9);
                }
                line.append(String.format(Locale.ROOT, " %s(%.0f)", playerIds(ticket), ticket.getAttributes().getDoubleArgsOrDefault(TicketAttributes.RATING, 0)));
                playersInMatch += playerCount(ticket);
            }
            line.append(" ]");
        }
        line.append(String.format(Locale.ROOT, " %s, team ratings %.0f vs %.0f", stringExtension(match, TicketAttributes.MATCH_REGION), red, blue));
        System.out.println(line);
        return playersInMatch;
    }

    /** Once everyone has queued, the run ends when no region has enough waiting players left. */
    private boolean anyRegionCanMatch() {
        Map<String, Integer> waiting = new HashMap<>();
        regionOfTicket.values().forEach(region -> waiting.merge(region, 1, Integer::sum));
        return waiting.values().stream().anyMatch(count -> count >= GameMode.FOUR_V_FOUR.matchSize());
    }

    private void summary(int queued, int matched, int matches, double seconds) {
        List<Double> waits = new ArrayList<>(secondsToMatch);
        Collections.sort(waits);
        System.out.printf(Locale.ROOT, "%nsummary: %d players queued, %d matched into %d matches in %.1f s%n", queued, matched, matches, seconds);
        if (!waits.isEmpty()) {
            System.out.printf(Locale.ROOT, "time to match: p50 %.2f s, p95 %.2f s, max %.2f s%n",
                    percentile(waits, 0.50), percentile(waits, 0.95), waits.get(waits.size() - 1));
            System.out.printf(Locale.ROOT, "mean team-rating gap: %.1f%n", ratingGaps.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        }
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double doubleExtension(Match match, String key) {
        try {
            return match.containsExtensions(key) ? match.getExtensionsOrThrow(key).unpack(DoubleValue.class).getValue() : Double.NaN;
        } catch (InvalidProtocolBufferException e) {
            return Double.NaN;
        }
    }

    private static String stringExtension(Match match, String key) {
        try {
            return match.containsExtensions(key) ? match.getExtensionsOrThrow(key).unpack(StringValue.class).getValue() : "?";
        } catch (InvalidProtocolBufferException e) {
            return "?";
        }
    }

    private static String playerIds(Ticket ticket) {
        try {
            ListValue players = ticket.getExtensionsOrThrow(TicketAttributes.PLAYERS).unpack(ListValue.class);
            return String.join("+", players.getValuesList().stream().map(v -> v.getStringValue()).toList());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return ticket.getId();
        }
    }

    private static int playerCount(Ticket ticket) {
        try {
            return ticket.getExtensionsOrThrow(TicketAttributes.PLAYERS).unpack(ListValue.class).getValuesCount();
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return 1;
        }
    }
}
