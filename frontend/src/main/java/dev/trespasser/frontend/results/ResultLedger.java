package dev.trespasser.frontend.results;

import dev.trespasser.frontend.accounts.PlayerProfile;
import dev.trespasser.frontend.redis.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Applies a result's player updates to Redis exactly once per match id and round: the
 * "applied" marker and every increment happen in one script, so a crash cannot leave a result
 * half-applied or applied without its marker.
 */
public final class ResultLedger {

    private static final String APPLY = """
            if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
            local n = 3
            for i = 2, #KEYS do
                local key = KEYS[i]
                if redis.call('HEXISTS', key, 'rating') == 0 then redis.call('HSET', key, 'rating', ARGV[2]) end
                redis.call('HINCRBYFLOAT', key, 'rating', ARGV[n])
                redis.call('HINCRBY', key, 'matches', 1)
                redis.call('HINCRBY', key, 'wins', ARGV[n + 1])
                redis.call('HINCRBY', key, 'losses', ARGV[n + 2])
                redis.call('HINCRBY', key, 'draws', ARGV[n + 3])
                redis.call('HINCRBY', key, 'kills', ARGV[n + 4])
                redis.call('HINCRBY', key, 'deaths', ARGV[n + 5])
                n = n + 6
            end
            return 1
            """;

    /** Far longer than any entry can stay pending in the stream. */
    static final Duration MARKER_TTL = Duration.ofDays(30);

    private final UnifiedJedis redis;

    public ResultLedger(UnifiedJedis redis) {
        this.redis = redis;
    }

    public double rating(String playerId) {
        String value = redis.hget(RedisKeys.player(playerId), "rating");
        return value == null ? PlayerProfile.DEFAULT_RATING : Double.parseDouble(value);
    }

    /** False when this match id and round had already been applied. */
    public boolean apply(String matchId, int round, List<PlayerUpdate> updates) {
        List<String> keys = new ArrayList<>();
        keys.add(RedisKeys.resultApplied(matchId, round));
        List<String> args = new ArrayList<>();
        args.add(Long.toString(MARKER_TTL.toSeconds()));
        args.add(Double.toString(PlayerProfile.DEFAULT_RATING));
        for (PlayerUpdate update : updates) {
            keys.add(RedisKeys.player(update.playerId()));
            args.add(Double.toString(update.ratingDelta()));
            args.add(Integer.toString(update.wins()));
            args.add(Integer.toString(update.losses()));
            args.add(Integer.toString(update.draws()));
            args.add(Long.toString(update.kills()));
            args.add(Long.toString(update.deaths()));
        }
        return Long.valueOf(1).equals(redis.eval(APPLY, keys, args));
    }
}
