package dev.trespasser.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/** A Redis that accepts connections but never answers fails calls within the timeouts, never hangs. */
class RedisClientSettingsTest {
    private static final RedisClientSettings SHORT =
            new RedisClientSettings(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(200), 1);

    @Test
    void aCallToARedisThatNeverAnswersFailsWithinTheSocketTimeout() throws Exception {
        try (SilentRedis silent = new SilentRedis();
                JedisPooled redis = SHORT.pool(silent.url())) {
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThrows(JedisException.class, () -> redis.get("trespasser:anything"));
            });
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 3_000, "failed after " + millis + " ms");
        }
    }

    @Test
    void aDedicatedConnectionToARedisThatNeverAnswersFailsWithinTheSocketTimeout() throws Exception {
        try (SilentRedis silent = new SilentRedis()) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThrows(JedisException.class, () -> {
                    try (Jedis jedis = SHORT.connection(silent.url())) {
                        jedis.ping();
                    }
                });
            });
        }
    }

    /**
     * The one pooled connection is busy (its caller waits for a reply that a long socket timeout
     * lets it wait for): the next caller gives up after the pool's borrow wait, not after that call.
     */
    @Test
    void anExhaustedPoolFailsTheNextCallerAfterTheBorrowWait() throws Exception {
        RedisClientSettings longReads =
                new RedisClientSettings(Duration.ofMillis(300), Duration.ofSeconds(20), Duration.ofMillis(200), 1);
        try (SilentRedis silent = new SilentRedis();
                JedisPooled redis = longReads.pool(silent.url())) {
            Thread busy = new Thread(
                    () -> {
                        try {
                            redis.get("trespasser:anything");
                        } catch (JedisException expected) {
                            // the silent server closes at the end of the test
                        }
                    },
                    "busy-caller");
            busy.setDaemon(true);
            busy.start();
            // The busy caller holds the pool's one slot from now until its 20 s read times out.
            Thread.sleep(300);
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                JedisException refused = assertThrows(JedisException.class, () -> redis.get("trespasser:other"));
                assertTrue(refused.getMessage().contains("Could not get a resource"), refused.getMessage());
            });
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 3_000, "gave up after " + millis + " ms");
        }
    }

    @Test
    void settingsComeFromTheEnvironmentWithDocumentedDefaults() {
        assertEquals(RedisClientSettings.DEFAULTS, RedisClientSettings.fromEnv(new EnvSettings(Map.of())));
        assertEquals(
                new RedisClientSettings(Duration.ofMillis(500), Duration.ofMillis(3000), Duration.ofMillis(50), 4),
                RedisClientSettings.fromEnv(new EnvSettings(Map.of(
                        "REDIS_CONNECT_TIMEOUT_MS",
                        "500",
                        "REDIS_SOCKET_TIMEOUT_MS",
                        "3000",
                        "REDIS_POOL_MAX_WAIT_MS",
                        "50",
                        "REDIS_POOL_MAX_TOTAL",
                        "4"))));
        IllegalArgumentException zero = assertThrows(
                IllegalArgumentException.class,
                () -> RedisClientSettings.fromEnv(new EnvSettings(Map.of("REDIS_SOCKET_TIMEOUT_MS", "0"))));
        assertTrue(zero.getMessage().contains("REDIS_SOCKET_TIMEOUT_MS"), zero.getMessage());
    }

    @Test
    void credentialsNeverReachALogLine() {
        assertEquals(
                "redis://***@results-redis:6379",
                RedisClientSettings.redacted("redis://match-server:0123abcd@results-redis:6379"));
        assertEquals("rediss://***@h:1", RedisClientSettings.redacted("rediss://:secret@h:1"));
        assertEquals("redis://h:1", RedisClientSettings.redacted("redis://h:1"));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> SHORT.pool(URI.create("http://user:secret@h:1")));
        assertFalse(bad.getMessage().contains("secret"), bad.getMessage());
        assertEquals("match-server", RedisClientSettings.user(URI.create("redis://match-server:pw@h:1")));
        assertEquals("default", RedisClientSettings.user(URI.create("redis://h:1")));
    }

    /** Accepts TCP connections and reads nothing, answers nothing. */
    private static final class SilentRedis implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentRedis() throws Exception {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try {
                                accepted.add(server.accept());
                            } catch (Exception closed) {
                                return;
                            }
                        }
                    },
                    "silent-redis");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI url() {
            return URI.create("redis://someone:secret@127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
            acceptor.join(1_000);
        }
    }
}
