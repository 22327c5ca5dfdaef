package dev.trespasser.frontend.results;

import dev.trespasser.proto.RedisNames;
import java.util.List;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Keeps the results stream bounded without ever dropping an entry a reader still needs: it removes
 * only entries below every consumer group's oldest pending entry and last-delivered position
 * (XTRIM MINID). Match servers append and never trim; with no consumer group nothing is trimmed,
 * and a stalled consumer makes the stream grow, which {@code trespasser_frontend_results_stream_entries}
 * shows (docs/operations.md has the alert).
 */
final class ResultsStreamTrimmer {

    private final UnifiedJedis redis;

    ResultsStreamTrimmer(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Trims what every group has acknowledged; returns the entries removed. */
    long trim() {
        StreamEntryID keepFrom = oldestNeeded();
        if (keepFrom == null) {
            return 0;
        }
        return redis.xtrim(
                RedisNames.MATCH_RESULTS_STREAM,
                XTrimParams.xTrimParams().minId(keepFrom.toString()).exactTrimming());
    }

    /** Entries in the stream now. */
    long length() {
        return redis.xlen(RedisNames.MATCH_RESULTS_STREAM);
    }

    /**
     * The lowest id any group may still read: its oldest pending entry, or the entry after the last
     * one delivered to it. Null when the stream has no group.
     */
    StreamEntryID oldestNeeded() {
        List<StreamGroupInfo> groups = redis.xinfoGroups(RedisNames.MATCH_RESULTS_STREAM);
        StreamEntryID oldest = null;
        for (StreamGroupInfo group : groups) {
            StreamEntryID delivered = group.getLastDeliveredId();
            StreamEntryID needed = new StreamEntryID(delivered.getTime(), delivered.getSequence() + 1);
            if (group.getPending() > 0) {
                StreamEntryID pending = redis.xpending(RedisNames.MATCH_RESULTS_STREAM, group.getName())
                        .getMinId();
                if (pending != null && pending.compareTo(needed) < 0) {
                    needed = pending;
                }
            }
            if (oldest == null || needed.compareTo(oldest) < 0) {
                oldest = needed;
            }
        }
        return oldest;
    }
}
