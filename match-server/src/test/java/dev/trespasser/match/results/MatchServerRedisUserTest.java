package dev.trespasser.match.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.runtime.RedisClientSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What a match server (the process that parses hostile traffic) can do with its Redis credentials,
 * against Redis running the users of open-match/redis/ as production does: append a result and
 * write a replay, nothing else. Everything an attacker holding one match server would want from
 * the account store is refused with NOPERM.
 */
class MatchServerRedisUserTest {
    private static final String ACCOUNT = "trespasser:account:alice";
    private static final String REFRESH = "trespasser:refresh:0f0f";
    private static final String FAMILY = "trespasser:refresh-family:abc";
    private static final String ASSIGNMENT = "trespasser:assignment:t-1:p-1";
    private static final String MATCH_RECORD = "trespasser:match-record:m-1";
    private static final String PLAYER = "trespasser:player:p-1";

    private static RedisServer results;
    private static RedisServer replays;

    @BeforeAll
    static void start() {
        results = RedisServer.startWithUsers(Path.of("target/peer-logs"), RedisServer.RESULTS_USERS);
        replays = RedisServer.startWithUsers(Path.of("target/peer-logs"), RedisServer.REPLAY_USERS);
        try (JedisPooled admin = new JedisPooled(URI.create(results.adminUrl()))) {
            admin.hset(ACCOUNT, Map.of("player_id", "p-1", "password", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
            admin.hset(REFRESH, Map.of("family", "abc"));
            admin.hset(FAMILY, Map.of("player_id", "p-1", "current", "0f0f"));
            admin.set(ASSIGNMENT, "{\"host\":\"h\",\"port\":7777,\"token\":\"join-token\"}");
            admin.hset(MATCH_RECORD, Map.of("game_server", "gs-1", "roster", "p-1:red"));
            admin.hset(PLAYER, Map.of("rating", "1500"));
            admin.xadd(
                    RedisNames.MATCH_RESULTS_STREAM,
                    StreamEntryID.NEW_ENTRY,
                    Map.of("match_id", "m-0", "result", "{}"));
        }
    }

    @AfterAll
    static void stop() {
        results.close();
        replays.close();
    }

    @Test
    void theMatchServerAppendsResultsAndWritesReplaysUnderItsOwnUsers() {
        try (ResultPublisher publisher = new ResultPublisher(
                        RedisClientSettings.DEFAULTS.pool(URI.create(results.url("match-server"))),
                        RedisClientSettings.DEFAULTS.pool(URI.create(replays.url("match-server"))),
                        Duration.ofDays(1));
                JedisPooled admin = new JedisPooled(URI.create(results.adminUrl()))) {
            publisher.storeReplay("m-1", 1, new byte[] {1, 2, 3});
            publisher.publish(ResultPublisherTest.RESULT);
            assertEquals(2, admin.xlen(RedisNames.MATCH_RESULTS_STREAM));
        }
    }

    @Test
    void theMatchServerCannotReadAnAccountARefreshTokenAnAssignmentOrAMatchRecord() {
        try (Jedis matchServer = matchServer(results)) {
            refused(() -> matchServer.hgetAll(ACCOUNT));
            refused(() -> matchServer.hget(ACCOUNT, "password"));
            refused(() -> matchServer.hgetAll(REFRESH));
            refused(() -> matchServer.hgetAll(FAMILY));
            refused(() -> matchServer.get(ASSIGNMENT));
            refused(() -> matchServer.hgetAll(MATCH_RECORD));
            refused(() -> matchServer.hgetAll(PLAYER));
        }
    }

    @Test
    void theMatchServerCannotWriteAccountsRatingsAssignmentsOrTheDirectorsRecord() {
        try (Jedis matchServer = matchServer(results)) {
            refused(() -> matchServer.hset(ACCOUNT, "password", "mine"));
            refused(() -> matchServer.hset(PLAYER, "rating", "9999"));
            refused(() -> matchServer.set(ASSIGNMENT, "{}"));
            refused(() -> matchServer.hset(MATCH_RECORD, "roster", "attacker:red"));
            refused(() -> matchServer.del(ACCOUNT));
            // XADD is allowed on the results stream only.
            refused(() ->
                    matchServer.xadd("trespasser:assignment-refusals", StreamEntryID.NEW_ENTRY, Map.of("a", "b")));
        }
    }

    @Test
    void theMatchServerCannotReadTheResultsStream() {
        try (Jedis matchServer = matchServer(results)) {
            refused(() ->
                    matchServer.xrange(RedisNames.MATCH_RESULTS_STREAM, (StreamEntryID) null, (StreamEntryID) null));
            refused(() -> matchServer.sendCommand(Command.XREAD, "STREAMS", RedisNames.MATCH_RESULTS_STREAM, "0"));
            refused(() -> matchServer.sendCommand(
                    Command.XREADGROUP,
                    "GROUP",
                    "frontend-ratings",
                    "x",
                    "STREAMS",
                    RedisNames.MATCH_RESULTS_STREAM,
                    ">"));
            refused(() -> matchServer.sendCommand(Command.XLEN, RedisNames.MATCH_RESULTS_STREAM));
            refused(() -> matchServer.sendCommand(Command.XTRIM, RedisNames.MATCH_RESULTS_STREAM, "MAXLEN", "0"));
            refused(() -> matchServer.sendCommand(Command.XINFO, "STREAM", RedisNames.MATCH_RESULTS_STREAM));
        }
    }

    @Test
    void theMatchServerCannotAdministerListOrScript() {
        try (Jedis matchServer = matchServer(results)) {
            refused(() -> matchServer.sendCommand(Command.FLUSHALL));
            refused(() -> matchServer.sendCommand(Command.FLUSHDB));
            refused(() -> matchServer.sendCommand(Command.CONFIG, "GET", "*"));
            refused(() -> matchServer.sendCommand(Command.CONFIG, "SET", "maxmemory", "1"));
            refused(() -> matchServer.sendCommand(Command.KEYS, "*"));
            refused(() -> matchServer.sendCommand(Command.SCAN, "0"));
            refused(() -> matchServer.sendCommand(Command.ACL, "LIST"));
            refused(() -> matchServer.sendCommand(Command.EVAL, "return redis.call('HGETALL', ARGV[1])", "0", ACCOUNT));
            refused(() -> matchServer.sendCommand(Command.MONITOR));
            refused(() -> matchServer.sendCommand(Command.SHUTDOWN, "NOSAVE"));
            refused(() -> matchServer.sendCommand(Command.SUBSCRIBE, RedisNames.ASSIGNMENTS_CHANNEL));
        }
    }

    @Test
    void theMatchServerCannotReadReplaysOrWriteAnythingElseInTheReplayStore() {
        try (Jedis matchServer = matchServer(replays);
                JedisPooled admin = new JedisPooled(URI.create(replays.adminUrl()))) {
            admin.set("trespasser:replay:m-9:1", "x");
            refused(() -> matchServer.get("trespasser:replay:m-9:1"));
            refused(() -> matchServer.set("trespasser:other", "x"));
            refused(() -> matchServer.setex("trespasser:other", 10, "x"));
            refused(() -> matchServer.sendCommand(Command.FLUSHALL));
            refused(() -> matchServer.sendCommand(Command.KEYS, "*"));
        }
    }

    @Test
    void unauthenticatedConnectionsMayOnlyPing() {
        try (Jedis anonymous = new Jedis(results.host(), results.port())) {
            assertEquals("PONG", anonymous.ping());
            refused(() -> anonymous.get(ASSIGNMENT));
            refused(() -> anonymous.sendCommand(Command.XADD, RedisNames.MATCH_RESULTS_STREAM, "*", "a", "b"));
        }
    }

    private static Jedis matchServer(RedisServer redis) {
        return RedisClientSettings.DEFAULTS.connection(URI.create(redis.url("match-server")));
    }

    private static void refused(Runnable call) {
        JedisDataException refused = assertThrows(JedisDataException.class, call::run);
        assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
    }
}
