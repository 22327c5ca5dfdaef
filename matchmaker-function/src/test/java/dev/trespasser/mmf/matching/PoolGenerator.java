package dev.trespasser.mmf.matching;

import dev.trespasser.proto.GameMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random queues shaped like production: ratings normal(mean, sd), a share of parties of 2..max
 * players, waits uniform in [0, maxWaitSeconds].
 */
public record PoolGenerator(
        double ratingMean,
        double ratingSd,
        double partyShare,
        int maxPartySize,
        double maxWaitSeconds,
        List<GameMode> modes,
        List<String> regions) {

    public static PoolGenerator realistic4v4() {
        return new PoolGenerator(1500, 300, 0.15, 4, 120, List.of(GameMode.FOUR_V_FOUR), List.of("eu"));
    }

    public static PoolGenerator mixed() {
        return new PoolGenerator(1500, 300, 0.2, 4, 120, List.of(GameMode.values()), List.of("eu", "na", "asia"));
    }

    public PoolGenerator solosOnly() {
        return new PoolGenerator(ratingMean, ratingSd, 0, 1, maxWaitSeconds, modes, regions);
    }

    public PoolGenerator withRatingSd(double sd) {
        return new PoolGenerator(ratingMean, sd, partyShare, maxPartySize, maxWaitSeconds, modes, regions);
    }

    public PoolGenerator withMaxWait(double seconds) {
        return new PoolGenerator(ratingMean, ratingSd, partyShare, maxPartySize, seconds, modes, regions);
    }

    public List<QueuedTicket> generate(Random random, int tickets) {
        List<QueuedTicket> pool = new ArrayList<>(tickets);
        for (int i = 0; i < tickets; i++) {
            GameMode mode = modes.get(random.nextInt(modes.size()));
            String region = regions.get(random.nextInt(regions.size()));
            int players = 1;
            if (maxPartySize > 1 && random.nextDouble() < partyShare) {
                players = 2 + random.nextInt(maxPartySize - 1);
            }
            // Rounded ratings make ties common, which exercises the tie-breaks.
            double rating = Math.round(ratingMean + ratingSd * random.nextGaussian());
            double waited = random.nextDouble() * maxWaitSeconds;
            pool.add(Tickets.ticket("t" + i, mode, region, players, rating, waited));
        }
        return pool;
    }

    /**
     * An upper bound on the players any matcher could place: per mode and region, the valid
     * players rounded down to whole matches.
     */
    public static int matchablePlayers(List<QueuedTicket> pool) {
        java.util.Map<String, Integer> players = new java.util.HashMap<>();
        java.util.Map<String, Integer> matchSize = new java.util.HashMap<>();
        for (QueuedTicket ticket : pool) {
            if (ticket.partySize() > ticket.mode().teamSize()) {
                continue;
            }
            String key = ticket.mode() + "/" + ticket.region();
            players.merge(key, ticket.partySize(), Integer::sum);
            matchSize.put(key, ticket.mode().matchSize());
        }
        int total = 0;
        for (var entry : players.entrySet()) {
            int size = matchSize.get(entry.getKey());
            total += entry.getValue() / size * size;
        }
        return total;
    }
}
