package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.redis.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/** Accounts and player records in Redis (key layout in {@link RedisKeys}). */
public final class AccountStore {

    /** Claims the username and writes the player record in one step, or does nothing. */
    private static final String CREATE_ACCOUNT = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'player_id', ARGV[1], 'username', ARGV[2], 'password', ARGV[3])
            redis.call('HSET', KEYS[2], 'username', ARGV[2], 'guest', '0', 'created_at', ARGV[4])
            return 1
            """;
    /**
     * Replaces the password record only if it is still the one that was verified (a PHC string,
     * or a PBKDF2 record's hash field), so a re-hash on login never undoes a concurrent change.
     */
    private static final String REPLACE_PASSWORD = """
            local current = redis.call('HGET', KEYS[1], 'password') or redis.call('HGET', KEYS[1], 'hash')
            if current ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'password', ARGV[2])
            redis.call('HDEL', KEYS[1], 'salt', 'iterations', 'hash')
            return 1
            """;

    private final UnifiedJedis redis;

    public AccountStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** False when the (case-insensitive) username is taken. */
    public boolean create(StoredAccount account, long createdAtMillis) {
        Object created = redis.eval(
                CREATE_ACCOUNT,
                List.of(
                        RedisKeys.account(CredentialRules.canonical(account.username())),
                        RedisKeys.player(account.playerId())),
                List.of(
                        account.playerId(),
                        account.username(),
                        account.passwordRecord(),
                        Long.toString(createdAtMillis)));
        return Long.valueOf(1).equals(created);
    }

    /** False when the record changed since {@code verified} was read (the caller lost a race). */
    public boolean replacePassword(StoredAccount verified, String newRecord) {
        Object replaced = redis.eval(
                REPLACE_PASSWORD,
                List.of(RedisKeys.account(CredentialRules.canonical(verified.username()))),
                List.of(verified.storedField(), newRecord));
        return Long.valueOf(1).equals(replaced);
    }

    public Optional<StoredAccount> find(String username) {
        Map<String, String> fields = redis.hgetAll(RedisKeys.account(CredentialRules.canonical(username)));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String phc = fields.get("password");
        if (phc != null) {
            return Optional.of(new StoredAccount(fields.get("player_id"), fields.get("username"), phc, phc));
        }
        // Written before Argon2id: PBKDF2 fields, re-hashed at the next successful login.
        String hash = fields.getOrDefault("hash", "");
        return Optional.of(new StoredAccount(
                fields.get("player_id"),
                fields.get("username"),
                PasswordHasher.legacyPbkdf2Record(fields.get("salt"), fields.getOrDefault("iterations", ""), hash),
                hash));
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
        return new PlayerProfile(
                playerId,
                fields.getOrDefault("username", fallbackUsername),
                rating(fields),
                count(fields, "matches"),
                count(fields, "wins"),
                count(fields, "losses"),
                count(fields, "draws"),
                count(fields, "kills"),
                count(fields, "deaths"));
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
