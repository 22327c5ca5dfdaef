package dev.trespasser.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MatchServerChild;
import dev.trespasser.match.testing.MatchServerPeers;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.AgonesSdkDouble;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.game.v1.Welcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * The real {@link MatchServer} main class in a child JVM, against an in-test Agones sidecar
 * (gRPC on loopback), a real Redis and a generated Ed25519 key: Ready, admin endpoints, an
 * allocation through Watch, a player joining with a signed token, SIGTERM, and the exit codes.
 */
class MatchServerProcessTest {

    private static final String MATCH = "m-process";
    private static final int DRAIN_SECONDS = 3;

    @TempDir
    Path dir;

    private final TestKeys keys = new TestKeys();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private MatchServerChild child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.close();
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    @Test
    void servesAMatchFromReadyToSigterm() throws Exception {
        MatchServerPeers peers = MatchServerPeers.start(dir);
        resources.add(peers);
        AgonesSdkDouble sidecar = peers.sidecar;
        int matchPort = peers.matchPort;
        int adminPort = peers.adminPort;
        Map<String, String> env = peers.env(keys);
        env.put("MATCH_DRAIN_POLICY", "finish");
        env.put("MATCH_DRAIN_TIMEOUT_SECONDS", "" + DRAIN_SECONDS);
        env.put("AGONES_PLAYER_TRACKING", "true");
        child = MatchServerChild.start(dir, env);

        child.await("Ready", Duration.ofSeconds(30), () -> sidecar.state().equals("Ready"));
        assertEquals(200, get(adminPort, "/healthz").statusCode());
        assertEquals("ok", get(adminPort, "/healthz").body().strip());
        String metrics = get(adminPort, "/metrics").body();
        assertTrue(metrics.contains("trespasser_match_phase{phase=\"none\"} 1"), metrics);

        sidecar.allocate(
                Map.of(GameServerMetadata.MATCH_ANNOTATION, JsonFormat.printer().print(allocation())));
        child.await(
                "the match hosted",
                Duration.ofSeconds(10),
                () -> get(adminPort, "/metrics").body().contains("trespasser_match_phase{phase=\"waiting\"} 1"));

        BotClient alice = new BotClient(matchPort, 1);
        Welcome welcome = alice.join(keys.token("alice", MATCH));
        assertEquals(MATCH, welcome.getMatchId());
        assertEquals("crossfire", welcome.getMapName());
        assertEquals(3, welcome.getSettings().getKillLimit(), "the allocation's kill limit");
        assertEquals(600, welcome.getSettings().getTimeLimitSeconds(), "0 keeps the default time limit");
        BotClient bob = new BotClient(matchPort, 2);
        bob.join(keys.token("bob", MATCH));
        // The whole roster is in: warmup starts, both spawn and move.
        child.await("play", Duration.ofSeconds(10), () -> {
            alice.play();
            bob.play();
            return alice.snapshots() > 20 && bob.snapshots() > 20;
        });
        assertTrue(get(adminPort, "/metrics").body().contains("trespasser_match_connected_players 2"));
        child.await(
                "player tracking",
                Duration.ofSeconds(5),
                () -> sidecar.players.connected().equals(java.util.Set.of("alice", "bob")));

        long signalled = System.nanoTime();
        child.process().destroy(); // SIGTERM
        assertTrue(
                child.process().waitFor(DRAIN_SECONDS + 10, TimeUnit.SECONDS), "exited after SIGTERM\n" + child.log());
        long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertEquals(0, child.process().exitValue(), child.log());
        assertTrue(exitedAfter < (DRAIN_SECONDS + 5) * 1000L, "exited within the drain bound: " + exitedAfter + " ms");
        assertTrue(
                exitedAfter >= DRAIN_SECONDS * 1000L - 500,
                "the running match was given the drain time: " + exitedAfter + " ms");
        assertEquals(4011, alice.closeCode(5), "the players are told the server is shutting down");
        assertEquals(4011, bob.closeCode(5));
        assertEquals("Shutdown", sidecar.state());
        assertTrue(sidecar.players.connected().isEmpty(), "the players' disconnects were sent before exiting");
        assertTrue(sidecar.calls.contains("health"), "health pings were streamed");
    }

    /**
     * Nobody joins, so the round ends abandoned after the 30 s wait while the results Redis is
     * unreachable: the server stays out of the fleet, stores the replay in its own Redis, and on
     * SIGTERM gives the result MATCH_RESULT_DRAIN_SECONDS, then logs it at ERROR and exits 0.
     */
    @Test
    void sigtermWithTheResultsRedisAwayReportsTheUndeliveredRoundAndExits() throws Exception {
        AgonesSdkDouble sidecar = new AgonesSdkDouble().start();
        resources.add(sidecar);
        RedisServer replays = RedisServer.start(dir);
        resources.add(replays);
        int adminPort = FreePort.pick();
        Map<String, String> env = new HashMap<>();
        env.put("AGONES_SDK_HTTP_PORT", "" + sidecar.httpPort());
        env.put("MATCH_PORT", "" + FreePort.pick());
        env.put("MATCH_ADMIN_PORT", "" + adminPort);
        env.put("JOIN_TOKEN_PUBLIC_KEY", keys.publicKeyPem());
        env.put("REDIS_URL", "redis://127.0.0.1:" + FreePort.pick());
        env.put("MATCH_REPLAY_REDIS_URL", replays.url());
        env.put("MATCH_RESULT_DRAIN_SECONDS", "2");
        env.put("MATCH_RESULT_RETRY_MAX_MS", "500");
        env.put("HOSTNAME", "gs-test");
        child = MatchServerChild.start(dir, env);
        child.await("Ready", Duration.ofSeconds(30), () -> sidecar.state().equals("Ready"));

        sidecar.allocate(
                Map.of(GameServerMetadata.MATCH_ANNOTATION, JsonFormat.printer().print(allocation())));
        try (JedisPooled replayReader = new JedisPooled(replays.host(), replays.port())) {
            child.await(
                    "the abandoned round's replay in the replay Redis",
                    Duration.ofSeconds(45),
                    () -> replayReader.exists("trespasser:replay:" + MATCH + ":1"));
        }
        child.await(
                "a failed send of the result",
                Duration.ofSeconds(5),
                () -> metric(adminPort, "trespasser_match_result_publish_failures_total") > 0);
        assertEquals(1, metric(adminPort, "trespasser_match_result_spool_rounds"), "the result is held");
        assertEquals("Allocated", sidecar.state(), "no Ready while the result is held");

        long signalled = System.nanoTime();
        child.process().destroy(); // SIGTERM
        assertTrue(child.process().waitFor(15, TimeUnit.SECONDS), "exited after SIGTERM\n" + child.log());
        long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertEquals(0, child.process().exitValue(), child.log());
        assertTrue(
                exitedAfter >= 1_500 && exitedAfter < 8_000,
                "held the result for MATCH_RESULT_DRAIN_SECONDS: " + exitedAfter + " ms");
        assertTrue(
                child.log()
                        .lines()
                        .anyMatch(line -> line.contains("ERROR")
                                && line.contains("result of match " + MATCH + " round 1 NOT DELIVERED")
                                && line.contains("\"matchId\":\"" + MATCH + "\"")),
                "the lost result is logged at ERROR with its JSON\n" + child.log());
        assertEquals("Shutdown", sidecar.state());
    }

    @Test
    void exitsWithCode2WhenTheSidecarNeverAnswers() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AGONES_SDK_HTTP_PORT", "" + FreePort.pick());
        env.put("AGONES_CONNECT_TIMEOUT_SECONDS", "2");
        env.put("MATCH_PORT", "" + FreePort.pick());
        env.put("MATCH_ADMIN_PORT", "" + FreePort.pick());
        env.put("JOIN_TOKEN_PUBLIC_KEY", keys.publicKeyPem());
        long started = System.nanoTime();
        child = MatchServerChild.start(dir, env);
        assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "exited\n" + child.log());
        long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(MatchServer.EXIT_SIDECAR_UNREACHABLE, child.process().exitValue(), child.log());
        assertTrue(exitedAfter >= 2_000, "kept retrying for the connect timeout: " + exitedAfter + " ms");
        assertTrue(child.log().contains("Agones SDK sidecar unreachable"), child.log());
    }

    private static MatchAllocation allocation() {
        return MatchAllocation.newBuilder()
                .setMatchId(MATCH)
                .setMode("1v1")
                .setMapName("crossfire")
                .setRules(MatchRules.newBuilder().setKillLimit(3))
                .addRoster(RosterPlayer.newBuilder().setPlayerId("alice").setTeam(RosterTeam.ROSTER_TEAM_RED))
                .addRoster(RosterPlayer.newBuilder().setPlayerId("bob").setTeam(RosterTeam.ROSTER_TEAM_BLUE))
                .build();
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An unlabelled sample's value from /metrics. */
    private double metric(int adminPort, String name) {
        return get(adminPort, "/metrics")
                .body()
                .lines()
                .filter(line -> line.startsWith(name + " "))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(name.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " on /metrics"));
    }
}
