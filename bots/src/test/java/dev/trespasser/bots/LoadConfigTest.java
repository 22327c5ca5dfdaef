package dev.trespasser.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        LoadConfig c = LoadConfig.fromEnvironment(Map.of());
        assertEquals("127.0.0.1:50504", c.frontendTarget());
        assertEquals(8, c.bots());
        assertEquals(4.0, c.arrivalPerSecond());
        assertEquals(Duration.ofSeconds(120), c.duration());
        assertEquals(0, c.matchesPerBot());
        assertEquals("4v4", c.mode());
        assertEquals("eu", c.region());
        assertTrue(c.guests());
        assertEquals(1, c.seed());
        assertEquals("bot", c.namePrefix());
        assertEquals(BotBehaviour.defaults(), c.behaviour());
    }

    @Test
    void everyVariableIsRead() {
        LoadConfig c = LoadConfig.fromEnvironment(Map.ofEntries(
                Map.entry("BOTS_FRONTEND_TARGET", "frontend.local:6000"),
                Map.entry("BOTS_COUNT", "40"),
                Map.entry("BOTS_ARRIVAL_PER_SECOND", "0.5"),
                Map.entry("BOTS_DURATION_SECONDS", "300"),
                Map.entry("BOTS_MATCHES_PER_BOT", "3"),
                Map.entry("BOTS_MODE", "2v2"),
                Map.entry("BOTS_REGION", "us"),
                Map.entry("BOTS_GUESTS", "false"),
                Map.entry("BOTS_SEED", "-7"),
                Map.entry("BOTS_NAME_PREFIX", "load"),
                Map.entry("BOTS_DROP_AND_RECONNECT_CHANCE", "0.25"),
                Map.entry("BOTS_VOTE_RESTART_CHANCE", "1"),
                Map.entry("BOTS_RECONNECT_DELAY_MS", "250"),
                Map.entry("BOTS_RECONNECT_ATTEMPTS", "5"),
                Map.entry("BOTS_INPUT_RATE_HZ", "30")));
        assertEquals(
                new LoadConfig(
                        "frontend.local:6000",
                        40,
                        0.5,
                        Duration.ofSeconds(300),
                        3,
                        "2v2",
                        "us",
                        false,
                        new BotBehaviour(0.25, 1, Duration.ofMillis(250), 5, 30),
                        -7,
                        "load",
                        ClientTrust.DEFAULT),
                c);
    }

    @Test
    void tlsToTheFrontendAndTheCaFileAreRead() {
        LoadConfig c =
                LoadConfig.fromEnvironment(Map.of("BOTS_FRONTEND_TLS", "true", "BOTS_CA_FILE", "/run/tls/ca.crt"));
        assertEquals(new ClientTrust(true, java.util.Optional.of(java.nio.file.Path.of("/run/tls/ca.crt"))), c.trust());
        assertEquals(ClientTrust.DEFAULT, LoadConfig.defaults().trust(), "plaintext frontend, the JDK's trust");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LoadConfig.fromEnvironment(Map.of("BOTS_FRONTEND_TLS", "yes!")));
        assertTrue(e.getMessage().startsWith("BOTS_FRONTEND_TLS"), e.getMessage());
    }

    @Test
    void badValuesNameTheVariable() {
        assertMessageStarts("BOTS_COUNT", Map.of("BOTS_COUNT", "0"));
        assertMessageStarts("BOTS_COUNT", Map.of("BOTS_COUNT", "many"));
        assertMessageStarts("BOTS_GUESTS", Map.of("BOTS_GUESTS", "maybe"));
        assertMessageStarts("BOTS_DURATION_SECONDS", Map.of("BOTS_DURATION_SECONDS", "-1"));
        assertMessageStarts("BOTS_DROP_AND_RECONNECT_CHANCE", Map.of("BOTS_DROP_AND_RECONNECT_CHANCE", "1.5"));
        assertMessageStarts("BOTS_INPUT_RATE_HZ", Map.of("BOTS_INPUT_RATE_HZ", "120"));
        assertMessageStarts("BOTS_MODE", Map.of("BOTS_MODE", "5v5"));
        assertMessageStarts("BOTS_FRONTEND_TARGET", Map.of("BOTS_FRONTEND_TARGET", "no-port"));
        assertMessageStarts("BOTS_NAME_PREFIX", Map.of("BOTS_NAME_PREFIX", "guestly"));
        assertMessageStarts("BOTS_ARRIVAL_PER_SECOND", Map.of("BOTS_ARRIVAL_PER_SECOND", "NaN"));
    }

    @Test
    void accountNamesFitTheFrontendsRules() {
        LoadConfig c = LoadConfig.defaults().withBots(100_000);
        String name = c.accountName(99_999);
        assertTrue(name.matches("[A-Za-z][A-Za-z0-9_-]{2,19}"), name);
        assertFalse(c.accountName(1).equals(c.accountName(11)));
        assertEquals("bot-3", c.botLabel(3));
    }

    @Test
    void commandLineArgumentsOverrideTheEnvironment() {
        Map<String, String> merged = BotsMain.settings(Map.of("BOTS_COUNT", "4"), new String[] {"BOTS_COUNT=16"});
        assertEquals("16", merged.get("BOTS_COUNT"));
        assertThrows(IllegalArgumentException.class, () -> BotsMain.settings(Map.of(), new String[] {"--count=3"}));
    }

    private static void assertMessageStarts(String prefix, Map<String, String> env) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LoadConfig.fromEnvironment(env));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
