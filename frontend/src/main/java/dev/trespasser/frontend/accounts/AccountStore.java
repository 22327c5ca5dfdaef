package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.RedisKeys;
import dev.trespasser.frontend.auth.PasswordHasher.PasswordHash;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/** Accounts and player records in Redis (key layout in {@link RedisKeys}). */
public final class AccountStore {

    /** Claims the username and writes the player record in one step, or does nothing. */
    private static final String CREATE_ACCOUNT = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'player_id', ARGV[1], 'username', ARGV[2], 'salt', ARGV[3],
                'iterations', ARGV[4], 'hash', ARGV[5])
            redis.call('HSET', KEYS[2], 'username', ARGV[2], 'guest', '0', 'created_at', ARGV[6])
            return 1
            """;

    private final UnifiedJedis redis;

    public AccountStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** False when the (case-insensitive) username is taken. */
    public boolean create(StoredAccount account, long createdAtMillis) {
        Base64.Encoder b64 = Base64.getEncoder();
        Object created = redis.eval(CREATE_ACCOUNT,
                List.of(RedisKeys.account(CredentialRules.canonical(account.username())), RedisKeys.player(account.playerId())),
                List.of(account.playerId(), account.username(), b64.encodeToString(account.password().salt()),
                        Integer.toString(account.password().iterations()), b64.encodeToString(account.password().hash()),
                        Long.toString(createdAtMillis)));
        return Long.valueOf(1).equals(created);
    }

    public Optional<StoredAccount> find(String username) {
        Map<String, String> fields = redis.hgetAll(RedisKeys.account(CredentialRules.canonical(username)));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return Optional.of(new StoredAccount(fields.get("player_id"), fields.get("username"), new PasswordHash(
                b64.decode(fields.get("salt")), Integer.parseInt(fields.get("iterations")), b64.decode(fields.get("hash")))));
    }

    /** Guests' records expire with their last refresh token, so abandoned guests do not pile up. */
    public void touchGuest(String playerId, String username, Duration lifetime, long nowMillis) {
        String key = RedisKeys.player(playerId);
        redis.hsetnx(key, "created_at", Long.toString(nowMillis));
        redis.hset(key, Map.of("username", username, "guest", "1"));
        redis.pexpire(key, lifetime.toMillis());
    }

    public PlayerProfile profile(String playerId, String fallbackUsername) {
        Map<String, String> fields = redis.hgetAll(RedisKeys.player(playerId));
        return new PlayerProfile(playerId,
                fields.getOrDefault("username", fallbackUsername),
                rating(fields),
                count(fields, "matches"), count(fields, "wins"), count(fields, "losses"), count(fields, "draws"),
                count(fields, "kills"), count(fields, "deaths"));
    }

    public double rating(String playerId) {
        String value = redis.hget(RedisKeys.player(playerId), "rating");
        return value == null ? PlayerProfile.DEFAULT_RATING : Double.parseDouble(value);
    }

    private static double rating(Map<String, String> fields) {
        String value = fields.get("rating");
        return value == null ? PlayerProfile.DEFAULT_RATING : Double.parseDouble(value);
    }

    private static long count(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }
}
