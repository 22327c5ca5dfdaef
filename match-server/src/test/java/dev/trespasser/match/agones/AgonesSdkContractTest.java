package dev.trespasser.match.agones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.peers.AgonesSdkServer;
import dev.trespasser.proto.agones.sdk.GameServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The match server's SDK use against the real Agones SDK server: its conformance mode judges the
 * calls by its own exit code, and its local mode delivers allocation through WatchGameServer.
 */
class AgonesSdkContractTest {
    /** The calls the match server makes in a match's life. */
    static final List<String> MATCH_SERVER_CALLS =
            List.of("ready", "health", "watch", "gameserver", "allocate", "shutdown");
    /**
     * The conformance list Agones holds its own SDKs to (its {@code test/sdk} clients); setlabel
     * counts only with the GameServer's creationTimestamp as value, setannotation only with its UID.
     */
    static final List<String> AGONES_SDK_CONFORMANCE_CALLS = List.of(
            "ready", "allocate", "setlabel", "setannotation", "gameserver", "health", "shutdown", "watch", "reserve");

    private static final Path LOGS = Path.of("target/peer-logs");

    @Test
    void matchServerCallSequencePassesConformance() throws Exception {
        assertConformance(MATCH_SERVER_CALLS, MATCH_SERVER_CALLS);
    }

    @Test
    void agonesSdkConformanceListPassesThroughAgonesSdk() throws Exception {
        assertConformance(AGONES_SDK_CONFORMANCE_CALLS, AGONES_SDK_CONFORMANCE_CALLS);
    }

    @Test
    void aLabelThatIsNotTheCreationTimestampDoesNotCountAsSetLabel() throws Exception {
        try (AgonesSdkServer server = AgonesSdkServer.conformance(List.of("setlabel"), Duration.ofSeconds(30), LOGS)) {
            try (AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", server.httpPort())) {
                sdk.setLabel("creationTimestamp", "not-the-timestamp");
            }
            int exit = server.process().terminate(Duration.ofSeconds(10));
            assertNotEquals(
                    0,
                    exit,
                    "a label without the creationTimestamp must not count:\n"
                            + server.process().logTail(40));
        }
    }

    private static void assertConformance(List<String> expected, List<String> calls) throws Exception {
        try (AgonesSdkServer server = AgonesSdkServer.conformance(expected, Duration.ofSeconds(30), LOGS)) {
            runCalls(server, calls);
            int exit = server.process().terminate(Duration.ofSeconds(10));
            assertEquals(0, exit, "conformance failed:\n" + server.process().logTail(40));
            assertTrue(
                    server.process().log().contains("Test run was successful"),
                    server.process().logTail(40));
        }
    }

    @Test
    void incompleteSequenceFailsConformance() throws Exception {
        try (AgonesSdkServer server = AgonesSdkServer.conformance(MATCH_SERVER_CALLS, Duration.ofSeconds(30), LOGS)) {
            runCalls(server, List.of("ready", "health", "watch", "gameserver", "allocate"));
            int exit = server.process().terminate(Duration.ofSeconds(10));
            assertNotEquals(
                    0,
                    exit,
                    "a sequence without shutdown must fail:\n"
                            + server.process().logTail(40));
        }
    }

    @Test
    void rewritingTheGameServerFileDeliversAllocationThroughWatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gameserver.yaml");
        Files.writeString(file, gameServerYaml("Ready", ""));
        try (AgonesSdkServer server = AgonesSdkServer.local(file, LOGS, "sdk-server-local");
                AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", server.httpPort())) {
            LinkedBlockingQueue<GameServer> updates = new LinkedBlockingQueue<>();
            try (AutoCloseable watch = sdk.watchGameServer(updates::add, error -> {})) {
                sdk.ready();
                // Written in place: the SDK server watches write events and misses a rename.
                Files.writeString(
                        file,
                        gameServerYaml(
                                "Allocated",
                                "    trespasser.dev/match-id: m-42\n    trespasser.dev/roster: p1:red,p2:blue\n"),
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                GameServer allocated = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (allocated == null && System.nanoTime() < deadline) {
                    GameServer update = updates.poll(200, TimeUnit.MILLISECONDS);
                    if (update != null && update.getStatus().getState().equals("Allocated")) {
                        allocated = update;
                    }
                }
                assertTrue(
                        allocated != null,
                        "no Allocated update through Watch:\n"
                                + server.process().logTail(40));
                assertEquals("m-42", allocated.getObjectMeta().getAnnotationsOrThrow("trespasser.dev/match-id"));
                assertEquals(
                        "p1:red,p2:blue", allocated.getObjectMeta().getAnnotationsOrThrow("trespasser.dev/roster"));
            }
        }
    }

    /** Alpha player tracking through the real gateway: the answers PlayerTracker relies on. */
    @Test
    void playerTrackingThroughTheRealSidecar(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gameserver.yaml");
        // Local mode reads the capacity from status.players (the controller would copy it from spec).
        Files.writeString(file, gameServerYaml("Allocated", "").replace("status:", """
                status:
                  players:
                    capacity: 8"""));
        try (AgonesSdkServer server = AgonesSdkServer.local(file, LOGS, "sdk-server-players", "PlayerTracking=true");
                AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", server.httpPort())) {
            assertTrue(sdk.playerConnect("p-1"), server.process().logTail(40));
            assertEquals(false, sdk.playerConnect("p-1"), "already connected");
            assertTrue(sdk.playerDisconnect("p-1"));
            assertEquals(false, sdk.playerDisconnect("p-1"), "already gone");
        }
        try (AgonesSdkServer server = AgonesSdkServer.local(file, LOGS, "sdk-server-no-players");
                AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", server.httpPort())) {
            AgonesSdk.AgonesSdkException e =
                    assertThrows(AgonesSdk.AgonesSdkException.class, () -> sdk.playerConnect("p-1"));
            assertTrue(e.getMessage().contains("PlayerTracking"), e.getMessage());
        }
    }

    private static void runCalls(AgonesSdkServer server, List<String> calls) throws Exception {
        try (AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", server.httpPort())) {
            AutoCloseable watch = null;
            for (String call : calls) {
                switch (call) {
                    case "ready" -> sdk.ready();
                    case "allocate" -> sdk.allocate();
                    case "shutdown" -> sdk.shutdown();
                    case "gameserver" -> sdk.gameServer();
                    case "reserve" -> sdk.reserve(Duration.ofSeconds(10));
                    // As Agones' own conformance clients do: the values prove the SDK read its GameServer.
                    case "setlabel" ->
                        sdk.setLabel(
                                "creationTimestamp",
                                Long.toString(sdk.gameServer().getObjectMeta().getCreationTimestamp()));
                    case "setannotation" ->
                        sdk.setAnnotation(
                                "UID", sdk.gameServer().getObjectMeta().getUid());
                    case "watch" -> watch = sdk.watchGameServer(gs -> {}, error -> {});
                    case "health" -> sdk.health();
                    default -> throw new IllegalArgumentException(call);
                }
            }
            Thread.sleep(300);
            if (watch != null) {
                watch.close();
            }
        }
    }

    private static String gameServerYaml(String state, String annotations) {
        return """
                apiVersion: agones.dev/v1
                kind: GameServer
                metadata:
                  name: local-match-server
                  annotations:
                    agones.dev/sdk-version: local
                %s  labels:
                    trespasser.dev/fleet: local
                status:
                  state: %s
                  address: 127.0.0.1
                  ports:
                  - name: default
                    port: 7777
                """.formatted(annotations, state);
    }
}
