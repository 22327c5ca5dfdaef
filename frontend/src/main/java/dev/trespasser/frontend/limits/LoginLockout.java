package dev.trespasser.frontend.limits;

import dev.trespasser.frontend.redis.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Failed password logins per account, in Redis so every replica counts them together. After
 * {@code freeFailures} failures in a row each further one locks the account's password login for
 * {@code firstLock}, doubling per failure up to {@code maxLock}; a success forgets them, and so
 * does {@code memory} without a failure. Unknown usernames are counted exactly like real ones,
 * so a lockout says nothing about whether a name exists. The lock only refuses password guesses
 * early (no hash is spent); it bounds an online guesser to a handful of tries an hour per account.
 */
public final class LoginLockout {

    public record Settings(int freeFailures, Duration firstLock, Duration maxLock, Duration memory) {
        public Settings {
            if (freeFailures < 1) {
                throw new IllegalArgumentException(
                        "FRONTEND_LOGIN_FAILURES_BEFORE_LOCKOUT must be at least 1, got " + freeFailures);
            }
            if (firstLock.isNegative() || firstLock.isZero() || maxLock.compareTo(firstLock) < 0) {
                throw new IllegalArgumentException(
                        "login lockout: need 0 < first lock <= max lock, got " + firstLock + " and " + maxLock);
            }
            if (memory.compareTo(maxLock) < 0) {
                throw new IllegalArgumentException(
                        "FRONTEND_LOGIN_FAILURE_MEMORY_SECONDS must be at least the longest lock " + maxLock);
            }
        }
    }

    /** Counts the failure and sets the lock, atomically (concurrent failures on N replicas add up). */
    private static final String FAIL = """
            local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
            local free = tonumber(ARGV[1])
            local lock = 0
            if n >= free then
              local doublings = n - free
              if doublings > 40 then doublings = 40 end
              lock = math.min(tonumber(ARGV[2]) * (2 ^ doublings), tonumber(ARGV[3]))
              redis.call('HSET', KEYS[1], 'locked_until', string.format('%d', tonumber(ARGV[4]) + lock))
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return string.format('%d', lock)
            """;

    private final UnifiedJedis redis;
    private final Settings settings;
    private final Clock clock;

    public LoginLockout(UnifiedJedis redis, Settings settings, Clock clock) {
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * How long the account's password login stays locked; zero when it is open. The stored time is
     * not trusted: a lock never reaches further than {@code maxLock} from now.
     */
    public Duration lockedFor(String accountKey) {
        String until = redis.hget(key(accountKey), "locked_until");
        if (until == null) {
            return Duration.ZERO;
        }
        long remaining;
        try {
            remaining = Long.parseLong(until) - clock.millis();
        } catch (NumberFormatException e) {
            remaining = settings.maxLock().toMillis();
        }
        if (remaining <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.min(remaining, settings.maxLock().toMillis()));
    }

    /** Records a failed login; returns the lock it started (zero while failures are still free). */
    public Duration failed(String accountKey) {
        Object lock = redis.eval(
                FAIL,
                List.of(key(accountKey)),
                List.of(
                        Integer.toString(settings.freeFailures()),
                        Long.toString(settings.firstLock().toMillis()),
                        Long.toString(settings.maxLock().toMillis()),
                        Long.toString(clock.millis()),
                        Long.toString(settings.memory().toMillis())));
        return Duration.ofMillis(Long.parseLong(String.valueOf(lock)));
    }

    public void succeeded(String accountKey) {
        redis.del(key(accountKey));
    }

    private static String key(String accountKey) {
        return RedisKeys.loginFailures(accountKey);
    }
}
