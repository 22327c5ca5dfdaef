package dev.trespasser.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How a service talks to Redis, so no call can hang: a connect timeout, a socket (read) timeout
 * for every reply, and a bounded wait to borrow a pooled connection. The user and password come
 * from the URL ({@code redis://user:password@host:port}, or {@code rediss://} for TLS) and never
 * appear in a log: use {@link #redacted(String)}.
 *
 * @param connectTimeout {@code REDIS_CONNECT_TIMEOUT_MS} (default 2000)
 * @param socketTimeout  {@code REDIS_SOCKET_TIMEOUT_MS} (default 2000): the longest wait for one
 *                       reply; a blocking read (the frontend's XREADGROUP BLOCK 1 s) must stay under it
 * @param poolMaxWait    {@code REDIS_POOL_MAX_WAIT_MS} (default 1000): the longest wait for a free
 *                       pooled connection when all {@code poolMaxTotal} are busy
 * @param poolMaxTotal   {@code REDIS_POOL_MAX_TOTAL} (default 16): pooled connections per process
 */
public record RedisClientSettings(
        Duration connectTimeout, Duration socketTimeout, Duration poolMaxWait, int poolMaxTotal) {

    public static final RedisClientSettings DEFAULTS =
            new RedisClientSettings(Duration.ofMillis(2_000), Duration.ofMillis(2_000), Duration.ofMillis(1_000), 16);

    public RedisClientSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(poolMaxWait, "poolMaxWait");
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || socketTimeout.isNegative()
                || socketTimeout.isZero()
                || poolMaxWait.isNegative()
                || poolMaxWait.isZero()) {
            throw new IllegalArgumentException("Redis timeouts must be positive");
        }
        if (poolMaxTotal <= 0) {
            throw new IllegalArgumentException("REDIS_POOL_MAX_TOTAL must be positive, got " + poolMaxTotal);
        }
    }

    public static RedisClientSettings fromEnv(EnvSettings env) {
        return new RedisClientSettings(
                env.millis("REDIS_CONNECT_TIMEOUT_MS", DEFAULTS.connectTimeout().toMillis()),
                env.millis("REDIS_SOCKET_TIMEOUT_MS", DEFAULTS.socketTimeout().toMillis()),
                env.millis("REDIS_POOL_MAX_WAIT_MS", DEFAULTS.poolMaxWait().toMillis()),
                env.positiveInt("REDIS_POOL_MAX_TOTAL", DEFAULTS.poolMaxTotal()));
    }

    /** A pool of connections to {@code url}, with these timeouts and the URL's user and password. */
    public JedisPooled pool(URI url) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolMaxTotal);
        pool.setMaxIdle(poolMaxTotal);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(poolMaxWait);
        return new JedisPooled(pool, JedisURIHelper.getHostAndPort(checked(url)), clientConfig(url));
    }

    /** One dedicated connection (e.g. a subscriber), with these timeouts and the URL's credentials. */
    public Jedis connection(URI url) {
        return new Jedis(JedisURIHelper.getHostAndPort(checked(url)), clientConfig(url));
    }

    private JedisClientConfig clientConfig(URI url) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .socketTimeoutMillis(Math.toIntExact(socketTimeout.toMillis()))
                .user(JedisURIHelper.getUser(url))
                .password(JedisURIHelper.getPassword(url))
                .database(JedisURIHelper.getDBIndex(url))
                .ssl(JedisURIHelper.isRedisSSLScheme(url))
                .build();
    }

    private static URI checked(URI url) {
        if (!JedisURIHelper.isValid(url)
                || !(JedisURIHelper.isRedisScheme(url) || JedisURIHelper.isRedisSSLScheme(url))) {
            throw new IllegalArgumentException(
                    "not a redis:// or rediss:// URL with host and port: " + redacted(url.toString()));
        }
        return url;
    }

    /** The URL with its user and password replaced by {@code ***}, for logs. */
    public static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    /** Whose credentials a URL carries (its user name, or {@code default}), for logs. */
    public static String user(URI url) {
        String user = JedisURIHelper.getUser(url);
        return user == null || user.isEmpty() ? "default" : user;
    }
}
