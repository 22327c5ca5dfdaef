package dev.trespasser.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.testing.TestKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatchServerSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        MatchServerSettings s = MatchServerSettings.fromEnv(Map.of());
        assertEquals(7777, s.gamePort());
        assertEquals(8080, s.adminPort());
        assertEquals(RoomConfig.defaults(), s.room());
        assertEquals(Duration.ofSeconds(5), s.edge().handshakeTimeout());
        assertEquals(4, s.edge().connectionsPerAddress());
        assertEquals(64, s.edge().connectionsTotal());
        assertEquals(9358, s.agones().sdkHttpPort());
        assertFalse(s.agones().playerTracking());
        assertEquals(Duration.ofSeconds(2), s.agones().lifecycle().healthPing());
        assertEquals(Duration.ofSeconds(30), s.agones().lifecycle().connectTimeout());
        assertEquals(Duration.ofSeconds(10), s.agones().lifecycle().readyConfirmTimeout());
        assertEquals(50, s.agones().lifecycle().maxMatches());
        MatchServerSettings.Results r = s.results();
        assertEquals(URI.create("redis://127.0.0.1:6379"), r.redisUrl());
        assertEquals(URI.create("redis://127.0.0.1:6379"), r.replayRedisUrl(), "replays default to the results Redis");
        assertEquals(Duration.ofDays(7), r.replayTtl());
        assertEquals(2L << 20, r.replayMaxBytes());
        assertEquals(32, r.spoolMaxResults());
        assertEquals(4L << 20, r.spoolMaxBytes());
        assertEquals(Duration.ofMillis(100), r.retryBase());
        assertEquals(Duration.ofSeconds(5), r.retryMax());
        assertEquals(Duration.ofSeconds(20), s.drain().resultTimeout());
        assertEquals("local", s.gameServerName());
        assertEquals(MatchServerSettings.DrainPolicy.FINISH, s.drain().policy());
        assertEquals(Duration.ofSeconds(60), s.drain().timeout());
        assertTrue(s.tls().isEmpty(), "plaintext unless both TLS files are given");
        assertThrows(
                IllegalArgumentException.class, () -> s.joinTokenKey().readPem(), "no key: the server cannot start");
    }

    @Test
    void everyVariableIsRead() {
        MatchServerSettings s = MatchServerSettings.fromEnv(Map.ofEntries(
                Map.entry("MATCH_PORT", "7000"),
                Map.entry("MATCH_ADMIN_PORT", "9100"),
                Map.entry("MATCH_SNAPSHOT_RATE_HZ", "20"),
                Map.entry("MATCH_SEED", "42"),
                Map.entry("MATCH_HANDSHAKE_TIMEOUT_MS", "1500"),
                Map.entry("MATCH_CONNECTIONS_PER_ADDRESS", "8"),
                Map.entry("MATCH_CONNECTIONS_MAX", "200"),
                Map.entry("AGONES_SDK_HTTP_PORT", "9400"),
                Map.entry("AGONES_PLAYER_TRACKING", " TRUE "),
                Map.entry("MATCH_HEALTH_PING_MS", "1000"),
                Map.entry("AGONES_CONNECT_TIMEOUT_SECONDS", "3"),
                Map.entry("MATCH_READY_CONFIRM_TIMEOUT_SECONDS", "4"),
                Map.entry("MATCH_MAX_MATCHES", "0"),
                Map.entry("REDIS_URL", "rediss://results.example:6380"),
                Map.entry("MATCH_REPLAY_REDIS_URL", "redis://replays.example:6379"),
                Map.entry("MATCH_REPLAY_TTL_SECONDS", "172800"),
                Map.entry("MATCH_REPLAY_MAX_BYTES", "65536"),
                Map.entry("MATCH_RESULT_SPOOL_MAX_RESULTS", "8"),
                Map.entry("MATCH_RESULT_SPOOL_MAX_BYTES", "131072"),
                Map.entry("MATCH_RESULT_RETRY_BASE_MS", "50"),
                Map.entry("MATCH_RESULT_RETRY_MAX_MS", "500"),
                Map.entry("MATCH_RESULT_DRAIN_SECONDS", "25"),
                Map.entry("HOSTNAME", "trespasser-abc12-xyz"),
                Map.entry("MATCH_DRAIN_POLICY", " Abandon "),
                Map.entry("MATCH_DRAIN_TIMEOUT_SECONDS", "650")));
        assertEquals(7000, s.gamePort());
        assertEquals(9100, s.adminPort());
        assertEquals(20, s.room().snapshotRateHz());
        assertEquals(42, s.room().seed());
        assertEquals(Duration.ofMillis(1500), s.edge().handshakeTimeout());
        assertEquals(8, s.edge().connectionsPerAddress());
        assertEquals(200, s.edge().connectionsTotal());
        assertEquals(9400, s.agones().sdkHttpPort());
        assertTrue(s.agones().playerTracking());
        assertEquals(Duration.ofSeconds(1), s.agones().lifecycle().healthPing());
        assertEquals(Duration.ofSeconds(3), s.agones().lifecycle().connectTimeout());
        assertEquals(Duration.ofSeconds(4), s.agones().lifecycle().readyConfirmTimeout());
        assertEquals(0, s.agones().lifecycle().maxMatches(), "0: never retire the server");
        MatchServerSettings.Results r = s.results();
        assertEquals(URI.create("rediss://results.example:6380"), r.redisUrl());
        assertEquals(URI.create("redis://replays.example:6379"), r.replayRedisUrl());
        assertEquals(Duration.ofDays(2), r.replayTtl());
        assertEquals(65536, r.replayMaxBytes());
        assertEquals(8, r.spoolMaxResults());
        assertEquals(131072, r.spoolMaxBytes());
        assertEquals(Duration.ofMillis(50), r.retryBase());
        assertEquals(Duration.ofMillis(500), r.retryMax());
        assertEquals(Duration.ofSeconds(25), s.drain().resultTimeout());
        assertEquals("trespasser-abc12-xyz", s.gameServerName());
        assertEquals(MatchServerSettings.DrainPolicy.ABANDON, s.drain().policy());
        assertEquals(Duration.ofSeconds(650), s.drain().timeout());
    }

    @Test
    void theOldMillisAndDaysNamesStillWorkUntilTheNewOnesAreSet() {
        MatchServerSettings old = MatchServerSettings.fromEnv(Map.of(
                "MATCH_HANDSHAKE_TIMEOUT_MILLIS", "1500",
                "MATCH_HEALTH_PING_MILLIS", "1000",
                "MATCH_REPLAY_TTL_DAYS", "2",
                "MATCH_RESULT_RETRY_BASE_MILLIS", "50",
                "MATCH_RESULT_RETRY_MAX_MILLIS", "500"));
        assertEquals(Duration.ofMillis(1500), old.edge().handshakeTimeout());
        assertEquals(Duration.ofSeconds(1), old.agones().lifecycle().healthPing());
        assertEquals(Duration.ofDays(2), old.results().replayTtl());
        assertEquals(Duration.ofMillis(50), old.results().retryBase());
        assertEquals(Duration.ofMillis(500), old.results().retryMax());

        MatchServerSettings both =
                MatchServerSettings.fromEnv(Map.of("MATCH_HEALTH_PING_MILLIS", "1000", "MATCH_HEALTH_PING_MS", "1500"));
        assertEquals(Duration.ofMillis(1500), both.agones().lifecycle().healthPing(), "the new name wins");
    }

    @Test
    void theJoinTokenKeyComesFromAPemFileOrPemText(@TempDir Path dir) throws Exception {
        TestKeys keys = new TestKeys();
        Path file = dir.resolve("join.pub");
        Files.writeString(file, keys.publicKeyPem());
        String token = keys.token("p-1", "m-1");
        for (Map<String, String> env : List.of(
                Map.of("JOIN_TOKEN_PUBLIC_KEY_FILE", file.toString()),
                Map.of("JOIN_TOKEN_PUBLIC_KEY", keys.publicKeyPem()),
                Map.of("JOIN_TOKEN_PUBLIC_KEY_FILE", file.toString(), "JOIN_TOKEN_PUBLIC_KEY", "not read"))) {
            String pem = MatchServerSettings.fromEnv(env).joinTokenKey().readPem();
            JoinTokenVerifier verifier =
                    new JoinTokenVerifier(JoinTokenVerifier.publicKeyFromPem(pem), Clock.systemUTC());
            assertEquals("p-1", verifier.verify(token).playerId(), env.keySet().toString());
        }
    }

    @Test
    void badValuesNameTheVariable() {
        assertRefused("MATCH_PORT", "70000");
        assertRefused("MATCH_ADMIN_PORT", "-1");
        assertRefused("MATCH_SNAPSHOT_RATE_HZ", "thirty");
        assertRefused("MATCH_HANDSHAKE_TIMEOUT_MS", "0");
        assertRefused("MATCH_HANDSHAKE_TIMEOUT_MILLIS", "soon");
        assertRefused("MATCH_CONNECTIONS_PER_ADDRESS", "0");
        assertRefused("MATCH_CONNECTIONS_MAX", "lots");
        assertRefused("AGONES_PLAYER_TRACKING", "yes");
        assertRefused("MATCH_HEALTH_PING_MS", "-1");
        assertRefused("AGONES_CONNECT_TIMEOUT_SECONDS", "0");
        assertRefused("MATCH_DRAIN_POLICY", "finsh");
        assertRefused("MATCH_DRAIN_TIMEOUT_SECONDS", "ten");
        assertRefused("MATCH_DRAIN_TIMEOUT_SECONDS", "0");
        assertRefused("MATCH_REPLAY_TTL_SECONDS", "-1");
        assertRefused("MATCH_REPLAY_TTL_DAYS", "-1");
        assertRefused("MATCH_RESULT_RETRY_MAX_MS", "99999999999999999999");
        assertRefused("MATCH_RESULT_SPOOL_MAX_RESULTS", "0");
        assertRefused("MATCH_REPLAY_MAX_BYTES", "-5");
        assertRefused("MATCH_REPLAY_REDIS_URL", "http://replays:6379");
        assertRefused("MATCH_RESULT_DRAIN_SECONDS", "0");
        assertRefused("REDIS_URL", "http://127.0.0.1:6379");
        assertRefused("REDIS_URL", "redis://");
        assertRefused("REDIS_URL", "::not a uri::");
    }

    @Test
    void aReplayTheSpoolCouldNeverHoldIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MatchServerSettings.fromEnv(
                        Map.of("MATCH_REPLAY_MAX_BYTES", "2000000", "MATCH_RESULT_SPOOL_MAX_BYTES", "1000000")));
        assertTrue(e.getMessage().startsWith("MATCH_REPLAY_MAX_BYTES"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> MatchServerSettings.fromEnv(
                        Map.of("MATCH_RESULT_RETRY_BASE_MS", "1000", "MATCH_RESULT_RETRY_MAX_MS", "500")));
        assertTrue(e.getMessage().startsWith("MATCH_RESULT_RETRY_MAX_MS"), e.getMessage());
    }

    @Test
    void tlsNeedsBothFilesAndReadsThemOnlyWhenLoaded(@TempDir Path dir) throws Exception {
        MatchServerSettings s = MatchServerSettings.fromEnv(
                Map.of("MATCH_TLS_CERT_FILE", "/etc/tls/tls.crt", "MATCH_TLS_KEY_FILE", "/etc/tls/tls.key"));
        assertEquals(Path.of("/etc/tls/tls.crt"), s.tls().orElseThrow().certificateFile());
        assertEquals(Path.of("/etc/tls/tls.key"), s.tls().orElseThrow().keyFile());

        for (String alone : List.of("MATCH_TLS_CERT_FILE", "MATCH_TLS_KEY_FILE")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> MatchServerSettings.fromEnv(Map.of(alone, "/etc/tls/x")));
            assertTrue(e.getMessage().contains("set both MATCH_TLS_CERT_FILE and MATCH_TLS_KEY_FILE"), e.getMessage());
            assertTrue(e.getMessage().contains("got only " + alone), e.getMessage());
        }

        Path notPem = Files.writeString(dir.resolve("tls.crt"), "not a certificate");
        MatchServerSettings bad = MatchServerSettings.fromEnv(
                Map.of("MATCH_TLS_CERT_FILE", notPem.toString(), "MATCH_TLS_KEY_FILE", notPem.toString()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> bad.tls().orElseThrow().load());
        assertTrue(e.getMessage().startsWith("MATCH_TLS_CERT_FILE / MATCH_TLS_KEY_FILE: " + notPem), e.getMessage());
    }

    private static void assertRefused(String name, String value) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MatchServerSettings.fromEnv(Map.of(name, value)),
                name + "=" + value);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
