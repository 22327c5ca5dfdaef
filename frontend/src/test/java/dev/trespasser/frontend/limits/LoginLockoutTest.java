package dev.trespasser.frontend.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The per-account back-off, against a real Redis, with a clock the test moves. */
class LoginLockoutTest {

    private static final LoginLockout.Settings SETTINGS =
            new LoginLockout.Settings(3, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1));

    private static RedisServer redisServer;
    private static JedisPooled redis;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final String account = "acct-" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        redisServer = RedisServer.start(FrontendHarness.PEER_LOGS);
        redis = new JedisPooled(URI.create(redisServer.url()));
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
    }

    @Test
    void lockDoublesAfterTheFreeFailuresUpToTheCap() {
        LoginLockout lockout = new LoginLockout(redis, SETTINGS, clock);
        assertEquals(Duration.ZERO, lockout.failed(account));
        assertEquals(Duration.ZERO, lockout.failed(account));
        assertEquals(Duration.ZERO, lockout.lockedFor(account));
        assertEquals(Duration.ofSeconds(30), lockout.failed(account));
        assertEquals(Duration.ofSeconds(30), lockout.lockedFor(account));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(20), lockout.lockedFor(account));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(Duration.ZERO, lockout.lockedFor(account), "the lock runs out");
        assertEquals(Duration.ofSeconds(60), lockout.failed(account));
        assertEquals(Duration.ofSeconds(120), lockout.failed(account));
        assertEquals(Duration.ofSeconds(240), lockout.failed(account));
        assertEquals(Duration.ofMinutes(5), lockout.failed(account), "capped");
        for (int i = 0; i < 100; i++) {
            lockout.failed(account);
        }
        assertEquals(Duration.ofMinutes(5), lockout.lockedFor(account), "no overflow after many failures");
        long ttl = redis.pttl("trespasser:login-failures:" + account);
        assertTrue(
                ttl > Duration.ofMinutes(59).toMillis()
                        && ttl <= Duration.ofHours(1).toMillis(),
                "stored with a TTL: " + ttl);
    }

    @Test
    void successForgetsTheFailures() {
        LoginLockout lockout = new LoginLockout(redis, SETTINGS, clock);
        lockout.failed(account);
        lockout.failed(account);
        lockout.succeeded(account);
        assertEquals(Duration.ZERO, lockout.failed(account));
        assertEquals(Duration.ZERO, lockout.failed(account));
    }

    /** The stored lock is not trusted: whatever Redis holds, no lock reaches past the cap. */
    @Test
    void storedLockIsBoundedByTheCap() {
        LoginLockout lockout = new LoginLockout(redis, SETTINGS, clock);
        redis.hset("trespasser:login-failures:" + account, "locked_until", Long.toString(Long.MAX_VALUE));
        assertEquals(Duration.ofMinutes(5), lockout.lockedFor(account));
        redis.hset("trespasser:login-failures:" + account, "locked_until", "not-a-number");
        assertEquals(Duration.ofMinutes(5), lockout.lockedFor(account));
    }
}
