package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.RedisKeys;
import dev.trespasser.frontend.auth.PlayerIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opaque refresh tokens: 256 random bits given to the client, stored in Redis only as their
 * SHA-256 (a leaked Redis dump holds no usable token), with a TTL. Each is good for one refresh.
 */
public final class RefreshTokens {

    private static final String STORE = """
            redis.call('HSET', KEYS[1], 'player_id', ARGV[1], 'username', ARGV[2], 'guest', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """;
    /** Read and delete atomically: two concurrent refreshes with one token cannot both win. */
    private static final String CONSUME = """
            local fields = redis.call('HGETALL', KEYS[1])
            redis.call('DEL', KEYS[1])
            return fields
            """;
    /** Ours are 43 characters; anything much longer is not worth hashing. */
    static final int MAX_TOKEN_CHARS = 128;

    private final UnifiedJedis redis;
    private final Duration ttl;
    private final SecureRandom random;

    public RefreshTokens(UnifiedJedis redis, Duration ttl, SecureRandom random) {
        this.redis = redis;
        this.ttl = ttl;
        this.random = random;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(PlayerIdentity player) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        redis.eval(STORE, List.of(key(token)),
                List.of(player.playerId(), player.username(), player.guest() ? "1" : "0", Long.toString(ttl.toMillis())));
        return token;
    }

    /** The player the token was issued to, if it is still valid; the token is spent either way. */
    public Optional<PlayerIdentity> consume(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        Object reply = redis.eval(CONSUME, List.of(key(token)), List.of());
        if (!(reply instanceof List<?> list) || list.isEmpty()) {
            return Optional.empty();
        }
        String playerId = null;
        String username = null;
        boolean guest = false;
        for (int i = 0; i + 1 < list.size(); i += 2) {
            String field = String.valueOf(list.get(i));
            String value = String.valueOf(list.get(i + 1));
            switch (field) {
                case "player_id" -> playerId = value;
                case "username" -> username = value;
                case "guest" -> guest = value.equals("1");
                default -> { }
            }
        }
        if (playerId == null || username == null) {
            return Optional.empty();
        }
        return Optional.of(new PlayerIdentity(playerId, username, guest));
    }

    public boolean revoke(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return false;
        }
        return redis.del(key(token)) > 0;
    }

    private static String key(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return RedisKeys.refreshToken(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
