package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.auth.PlayerIdentity;
import dev.trespasser.frontend.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opaque refresh tokens: 256 random bits given to the client, stored in Redis only as their
 * SHA-256 (a leaked Redis dump holds no usable token), with a TTL. Each is good for one refresh.
 *
 * <p>Every login starts a <em>family</em>; each refresh replaces the family's one live token. A
 * rotated-out token is remembered until it would have expired: presented again, it means two
 * parties hold the family's tokens (one of them a thief), so the whole family is revoked and both
 * must log in again. A player's families are listed, so all of them can be ended at once.
 */
public final class RefreshTokens {

    /** What a refresh came to. */
    public enum Outcome {
        ROTATED,
        /** Unknown, expired, revoked or malformed. */
        REFUSED,
        /** A rotated-out token came back: its family is revoked now. */
        REUSED
    }

    public record Rotation(Outcome outcome, Optional<PlayerIdentity> player, Optional<String> token) {
        static Rotation refused() {
            return new Rotation(Outcome.REFUSED, Optional.empty(), Optional.empty());
        }
    }

    private static final String START_FAMILY = """
            redis.call('HSET', KEYS[1], 'player_id', ARGV[1], 'username', ARGV[2], 'guest', ARGV[3], 'current', ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            redis.call('HSET', KEYS[2], 'family', ARGV[7])
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[8])
            redis.call('ZADD', KEYS[3], ARGV[6], ARGV[7])
            redis.call('PEXPIRE', KEYS[3], ARGV[5])
            return 1
            """;
    /**
     * Only the family's current token rotates; any other token of the family revokes it. One
     * script, so two concurrent refreshes with one token cannot both win.
     */
    private static final String ROTATE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'refused'} end
            if redis.call('HGET', KEYS[1], 'current') ~= ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[3], ARGV[5])
              return {'reused'}
            end
            redis.call('HSET', KEYS[1], 'current', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('HSET', KEYS[2], 'family', ARGV[5])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
            redis.call('PEXPIRE', KEYS[3], ARGV[3])
            return {'rotated', redis.call('HGET', KEYS[1], 'username'), redis.call('HGET', KEYS[1], 'guest')}
            """;
    /** Tokens issued before families: read and delete atomically, as they were. */
    private static final String CONSUME_LEGACY = """
            local fields = redis.call('HGETALL', KEYS[1])
            redis.call('DEL', KEYS[1])
            return fields
            """;
    /** Ours are 43 characters; anything much longer is not worth hashing. */
    static final int MAX_TOKEN_CHARS = 128;
    /** Family ids we write: 16 random bytes, base64url. Anything else read back is refused. */
    private static final Pattern FAMILY_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final UnifiedJedis redis;
    private final Duration ttl;
    private final SecureRandom random;
    private final Clock clock;

    public RefreshTokens(UnifiedJedis redis, Duration ttl, SecureRandom random, Clock clock) {
        this.redis = redis;
        this.ttl = ttl;
        this.random = random;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    /** The first token of a new family (a login). */
    public String issue(PlayerIdentity player) {
        String family = randomText(16);
        String token = randomText(32);
        long now = clock.millis();
        redis.eval(
                START_FAMILY,
                List.of(RedisKeys.refreshFamily(family), tokenKey(token), RedisKeys.playerSessions(player.playerId())),
                List.of(
                        player.playerId(),
                        player.username(),
                        player.guest() ? "1" : "0",
                        sha256(token),
                        Long.toString(ttl.toMillis()),
                        Long.toString(now + ttl.toMillis()),
                        family,
                        Long.toString(now)));
        return token;
    }

    /** Spends the token: the next token of its family, or a refusal (revoking the family on reuse). */
    public Rotation rotate(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Rotation.refused();
        }
        String key = tokenKey(token);
        String family = redis.hget(key, "family");
        if (family == null) {
            return rotateLegacy(key);
        }
        if (!FAMILY_ID.matcher(family).matches()) {
            return Rotation.refused();
        }
        String familyKey = RedisKeys.refreshFamily(family);
        String playerId = redis.hget(familyKey, "player_id");
        if (playerId == null) {
            return Rotation.refused();
        }
        String next = randomText(32);
        Object reply = redis.eval(
                ROTATE,
                List.of(familyKey, tokenKey(next), RedisKeys.playerSessions(playerId)),
                List.of(
                        sha256(token),
                        sha256(next),
                        Long.toString(ttl.toMillis()),
                        Long.toString(clock.millis() + ttl.toMillis()),
                        family));
        List<?> fields = reply instanceof List<?> list ? list : List.of();
        String outcome = fields.isEmpty() ? "refused" : String.valueOf(fields.get(0));
        return switch (outcome) {
            case "rotated" ->
                new Rotation(
                        Outcome.ROTATED,
                        Optional.of(new PlayerIdentity(
                                playerId, String.valueOf(fields.get(1)), "1".equals(String.valueOf(fields.get(2))))),
                        Optional.of(next));
            case "reused" ->
                new Rotation(Outcome.REUSED, Optional.of(new PlayerIdentity(playerId, "", false)), Optional.empty());
            default -> Rotation.refused();
        };
    }

    /** Ends the session the token belongs to (its whole family). Idempotent. */
    public void revoke(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return;
        }
        String key = tokenKey(token);
        String family = redis.hget(key, "family");
        if (family == null || !FAMILY_ID.matcher(family).matches()) {
            redis.del(key);
            return;
        }
        String familyKey = RedisKeys.refreshFamily(family);
        String playerId = redis.hget(familyKey, "player_id");
        redis.del(familyKey);
        if (playerId != null) {
            redis.zrem(RedisKeys.playerSessions(playerId), family);
        }
    }

    /** Ends every session of the player; returns how many were live. */
    public int revokeAll(String playerId) {
        String sessions = RedisKeys.playerSessions(playerId);
        List<String> keys = new ArrayList<>();
        for (String family : redis.zrange(sessions, 0, -1)) {
            if (FAMILY_ID.matcher(family).matches()) {
                keys.add(RedisKeys.refreshFamily(family));
            }
        }
        keys.add(sessions);
        return (int) Math.max(0, redis.del(keys.toArray(String[]::new)) - 1);
    }

    private Rotation rotateLegacy(String key) {
        Object reply = redis.eval(CONSUME_LEGACY, List.of(key), List.of());
        if (!(reply instanceof List<?> list) || list.isEmpty()) {
            return Rotation.refused();
        }
        String playerId = null;
        String username = null;
        boolean guest = false;
        for (int i = 0; i + 1 < list.size(); i += 2) {
            String value = String.valueOf(list.get(i + 1));
            switch (String.valueOf(list.get(i))) {
                case "player_id" -> playerId = value;
                case "username" -> username = value;
                case "guest" -> guest = value.equals("1");
                default -> {}
            }
        }
        if (playerId == null || username == null) {
            return Rotation.refused();
        }
        PlayerIdentity player = new PlayerIdentity(playerId, username, guest);
        return new Rotation(Outcome.ROTATED, Optional.of(player), Optional.of(issue(player)));
    }

    private String randomText(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String tokenKey(String token) {
        return RedisKeys.refreshToken(sha256(token));
    }

    private static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
