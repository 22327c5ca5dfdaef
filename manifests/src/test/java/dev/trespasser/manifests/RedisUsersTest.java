package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trespasser.peers.PeerBinaries;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * One Redis user per service (issue 13 item 1), as deployed: every Redis URL in the manifests names
 * its service's own user and carries only that user's password Secret; each Redis loads its users
 * file; and the users files grant a match server exactly what MatchServerRedisUserTest (match-server,
 * against a real Redis running these same files) proves it can do, and no service administration.
 */
class RedisUsersTest {
    private static final Stack stack = Stack.load();

    /** What no service's user may run: administration, key listing, data wiping, scripting management. */
    private static final Set<String> ADMIN_COMMANDS = Set.of(
            "flushall",
            "flushdb",
            "config",
            "keys",
            "scan",
            "acl",
            "debug",
            "monitor",
            "shutdown",
            "script",
            "function",
            "module",
            "save",
            "bgsave",
            "bgrewriteaof",
            "replicaof",
            "slaveof",
            "migrate",
            "restore",
            "sync",
            "psync",
            "cluster",
            "failover",
            "swapdb",
            "move",
            "client",
            "object",
            "sort");

    @Test
    void everyRedisUrlInTheManifestsNamesItsServicesOwnUser() {
        List<String> urls = new ArrayList<>();
        for (Manifest object : stack.objects) {
            if (!Set.of("Deployment", "StatefulSet", "Fleet").contains(object.kind())) {
                continue;
            }
            for (JsonNode container : object.podSpec().path("containers")) {
                for (Map.Entry<String, String> variable :
                        stack.env(object, container.path("name").asText()).entrySet()) {
                    String value = variable.getValue();
                    if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
                        continue;
                    }
                    String what = object.name() + "/" + container.path("name").asText() + " " + variable.getKey();
                    urls.add(what);
                    URI uri = URI.create(value);
                    String user = JedisURIHelper.getUser(uri);
                    assertTrue(
                            user != null && !user.isEmpty() && !user.equals("default"),
                            what + " names no user: " + value);
                    assertEquals(
                            Stack.secretValue(uri.getHost() + "-" + user, "password"),
                            JedisURIHelper.getPassword(uri),
                            what + " must carry only its own user's password Secret");
                    assertTrue(
                            RedisUsers.of(uri.getHost()).containsKey(user),
                            what + ": no user " + user + " in " + uri.getHost());
                }
            }
        }
        assertEquals(
                List.of(
                        "trespasser-director/director REDIS_URL",
                        "trespasser-frontend/frontend REDIS_URL",
                        "trespasser-match/match-server MATCH_REPLAY_REDIS_URL",
                        "trespasser-match/match-server REDIS_URL"),
                urls.stream().sorted().toList(),
                "the Redis URLs this test checked");
    }

    @Test
    void aServiceConnectingWithoutItsUserIsReported() {
        Manifest frontend = stack.get("Deployment", CrossChecks.FRONTEND).mutableCopy();
        setEnv(
                frontend.container("frontend").orElseThrow(),
                "REDIS_URL",
                "redis://:$(RESULTS_REDIS_PASSWORD)@results-redis:6379");
        List<String> problems = CrossChecks.clientsReachTheirServers(stack.with(frontend));
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("frontend REDIS_URL connects as user")),
                problems.toString());

        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        JsonNode matchServer = fleet.container("match-server").orElseThrow();
        for (JsonNode variable : matchServer.path("env")) {
            if (variable.path("name").asText().equals("RESULTS_REDIS_PASSWORD")) {
                ((ObjectNode) variable.path("valueFrom").path("secretKeyRef")).put("name", "results-redis-frontend");
            }
        }
        setEnv(matchServer, "REDIS_URL", "redis://frontend:$(RESULTS_REDIS_PASSWORD)@results-redis:6379");
        problems = CrossChecks.clientsReachTheirServers(stack.with(fleet));
        assertTrue(
                problems.stream()
                        .anyMatch(
                                p -> p.contains("match server REDIS_URL connects as user frontend, not match-server")),
                problems.toString());
    }

    @Test
    void eachRedisLoadsItsUsersFileAndNoSharedPassword() {
        for (String redis : List.of(CrossChecks.RESULTS_REDIS, CrossChecks.REPLAY_REDIS)) {
            assertEquals(List.of(), RedisUsers.loadsItsUsersFile(stack, redis));
        }
        Manifest results = stack.get("StatefulSet", CrossChecks.RESULTS_REDIS).mutableCopy();
        ObjectNode container = (ObjectNode) results.container("redis").orElseThrow();
        container.putArray("args").add("--requirepass").add("$(REDIS_PASSWORD)");
        List<String> problems = RedisUsers.loadsItsUsersFile(stack.with(results), CrossChecks.RESULTS_REDIS);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("does not start with its users file")
                        && problems.get(1).contains("--requirepass"),
                problems.toString());
    }

    /** MatchServerRedisUserTest proves these rules against a real Redis; this pins them as deployed. */
    @Test
    void theMatchServerMayOnlyAppendResultsAndWriteReplays() {
        List<String> results = RedisUsers.of(CrossChecks.RESULTS_REDIS).get("match-server");
        assertEquals(List.of("%W~trespasser:match-results"), RedisUsers.keyPatterns(results), "write-only, one key");
        assertEquals(List.of("ping", "xadd"), RedisUsers.commands(results));
        List<String> replays = RedisUsers.of(CrossChecks.REPLAY_REDIS).get("match-server");
        assertEquals(List.of("%W~trespasser:replay:*"), RedisUsers.keyPatterns(replays));
        assertEquals(List.of("ping", "setex"), RedisUsers.commands(replays));
        for (List<String> rules : List.of(results, replays)) {
            assertTrue(
                    rules.contains("resetchannels") && rules.stream().noneMatch(r -> r.startsWith("&")),
                    "no channel: " + rules);
        }
    }

    @Test
    void noServiceUserMayAdministerListKeysOrHoldACategory() {
        for (String redis : List.of(CrossChecks.RESULTS_REDIS, CrossChecks.REPLAY_REDIS)) {
            for (Map.Entry<String, List<String>> user : RedisUsers.of(redis).entrySet()) {
                List<String> rules = user.getValue();
                String who = redis + " user " + user.getKey();
                int reset = rules.indexOf("-@all");
                assertTrue(
                        reset >= 0
                                && rules.stream()
                                        .skip(reset + 1)
                                        .noneMatch(r -> r.startsWith("+@") || r.equals("allcommands")),
                        who + " starts from no command and adds single commands only: " + rules);
                assertTrue(
                        rules.stream()
                                .noneMatch(r -> r.equals("~*")
                                        || r.equals("allkeys")
                                        || r.equals("allchannels")
                                        || r.equals("&*")),
                        who + " is not allowed every key or channel: " + rules);
                assertTrue(
                        rules.stream().noneMatch(r -> r.startsWith(">") || r.startsWith("#")),
                        who + ": no password in git");
                List<String> admin = RedisUsers.commands(rules).stream()
                        .filter(c -> ADMIN_COMMANDS.contains(c.contains("|") ? c.substring(0, c.indexOf('|')) : c))
                        .toList();
                assertEquals(List.of(), admin, who + " may run administration commands");
            }
            assertEquals(
                    List.of("on", "nopass", "resetchannels", "-@all", "+ping"),
                    RedisUsers.of(redis).get("default"),
                    redis + ": unauthenticated connections may only PING (the readiness probe)");
        }
    }

    /**
     * generate-secrets.sh renders the users files with each password's SHA-256: a real Redis loads
     * the rendered file, each service's password opens its own user only, and anonymous access stays PING.
     */
    @Test
    void renderedUsersFilesLoadIntoARealRedisAndEachPasswordOpensOnlyItsUser(@TempDir Path copy) throws Exception {
        Path keys = ManifestFilesTest.generateSecrets(copy);
        String rendered = Files.readString(keys.resolve("results-redis-users.conf"));
        assertFalse(
                rendered.contains(Files.readString(keys.resolve("results-redis-match-server-password"))),
                "the users file holds hashes, not passwords");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process redis = new ProcessBuilder(
                        PeerBinaries.locate().redisServer().toString(),
                        keys.resolve("results-redis-users.conf").toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(copy.resolve("redis.log").toFile())
                .start();
        try {
            awaitPing(port);
            String matchServer = Files.readString(keys.resolve("results-redis-match-server-password"));
            String frontend = Files.readString(keys.resolve("results-redis-frontend-password"));
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.auth("match-server", matchServer);
                jedis.xadd("trespasser:match-results", StreamEntryID.NEW_ENTRY, Map.of("a", "b"));
                assertRefused(() -> jedis.get("trespasser:account:alice"), "NOPERM");
                assertRefused(() -> jedis.auth("frontend", matchServer), "WRONGPASS");
                jedis.auth("frontend", frontend);
                assertEquals(1, jedis.xlen("trespasser:match-results"));
            }
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    private static void awaitPing(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", jedis.ping());
                return;
            } catch (redis.clients.jedis.exceptions.JedisConnectionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void assertRefused(Runnable call, String prefix) {
        try {
            call.run();
        } catch (JedisDataException e) {
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            return;
        }
        throw new AssertionError("expected " + prefix);
    }

    private static void setEnv(JsonNode container, String name, String value) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                ((ObjectNode) variable).put("value", value);
                return;
            }
        }
        throw new AssertionError(name + " not in the container");
    }
}
