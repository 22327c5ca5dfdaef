package dev.trespasser.director.profiles;

import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.openmatch2.Profile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * Keeps every pool om-core sends the MMF inside one chunk. om-core ac392a0 cuts a profile larger
 * than ~4 MB into chunks and gives every chunk the last chunk's roster (docs/peers.md): a pool
 * that spans chunks loses its first tickets and repeats its last. Before each invocation the
 * director reads how many tickets are queued for the profile's mode and region (the frontend's
 * {@link RedisNames#queuedTickets} set); above {@code maxPoolTickets} it invokes the profile as
 * ceil(n / max) creation-time slices instead, each cut at the creation time of the tickets at
 * ranks max, 2·max, ...
 */
public final class PoolSlicer {

    private final UnifiedJedis redis;
    private final int maxPoolTickets;

    public PoolSlicer(UnifiedJedis redis, int maxPoolTickets) {
        if (maxPoolTickets < 1) {
            throw new IllegalArgumentException("maxPoolTickets must be at least 1: " + maxPoolTickets);
        }
        this.redis = redis;
        this.maxPoolTickets = maxPoolTickets;
    }

    /**
     * The om-core profiles to invoke this cycle for {@code profile}: itself when its pool fits, its
     * creation-time slices otherwise. A rating slice counts its whole (mode, region): an
     * over-estimate, which only slices sooner. Throws when Redis cannot be read.
     */
    public List<Profile> profiles(MatchProfile profile) {
        String key = RedisNames.queuedTickets(profile.mode().label(), profile.region());
        List<Long> ranks = CreationTimeSlices.boundaryRanks(redis.zcard(key), maxPoolTickets);
        if (ranks.isEmpty()) {
            return List.of(profile.toProfile());
        }
        List<Response<List<Tuple>>> replies = new ArrayList<>(ranks.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (long rank : ranks) {
                replies.add(pipeline.zrangeWithScores(key, rank, rank));
            }
            pipeline.sync();
        }
        List<Long> boundaries = new ArrayList<>(ranks.size());
        for (Response<List<Tuple>> reply : replies) {
            // The set may shrink between ZCARD and ZRANGE: a rank past its end cuts nothing.
            for (Tuple ticket : reply.get()) {
                boundaries.add((long) ticket.getScore());
            }
        }
        Collections.sort(boundaries);
        List<CreationTimeSlices.Range> ranges = CreationTimeSlices.ranges(boundaries);
        if (ranges.size() == 1) {
            return List.of(profile.toProfile());
        }
        List<Profile> slices = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            slices.add(profile.toProfile(ranges.get(i), i + 1, ranges.size()));
        }
        return slices;
    }
}
