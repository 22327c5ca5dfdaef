package dev.trespasser.localstack.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.localstack.fleet.LocalFleetAllocator.LocalGameServer;
import dev.trespasser.peers.doubles.AgonesSdkDouble;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unit tests of the local fleet allocator's own logic: which server it picks (SDK servers are
 * the shared test double {@link AgonesSdkDouble} here) and how it rewrites the GameServer file.
 * The real SDK server reading that file is LocalFleetAgonesSdkTest.
 */
class LocalFleetAllocatorTest {

    static final MatchAllocation MATCH = MatchAllocation.newBuilder()
            .setMatchId("m-7")
            .setMode("2v2")
            .setMapName("crossfire")
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p-1").setTeam(RosterTeam.ROSTER_TEAM_RED))
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p-2").setTeam(RosterTeam.ROSTER_TEAM_BLUE))
            .setAllocatedAtEpochSeconds(1_795_000_000L)
            .build();

    static String gameServerYaml(String name, String state) {
        return """
                apiVersion: agones.dev/v1
                kind: GameServer
                metadata:
                  name: %s
                  annotations:
                    agones.dev/sdk-version: local
                  labels:
                    trespasser.dev/fleet: local
                spec:
                  ports:
                  - name: game
                    containerPort: 7654
                status:
                  state: %s
                  address: 127.0.0.1
                  ports:
                  - name: game
                    port: 7654
                """.formatted(name, state);
    }

    @TempDir
    Path dir;

    private final List<AgonesSdkDouble> sdkServers = new ArrayList<>();
    private final Map<Integer, AgonesSdkDouble> bySdkPort = new HashMap<>();
    private final AtomicLong nanos = new AtomicLong();

    @AfterEach
    void stop() throws Exception {
        for (AgonesSdkDouble server : sdkServers) {
            server.close();
        }
    }

    /** A local server whose SDK double reports {@code state}; a null state means nothing listens. */
    private LocalGameServer server(int index, String state) throws Exception {
        Path file = dir.resolve("gs-" + index + ".yaml");
        Files.writeString(file, gameServerYaml("local-" + index, state == null ? "Ready" : state));
        if (state != null) {
            AgonesSdkDouble sdk = new AgonesSdkDouble("local-" + index, state).start();
            // Metadata the match server set through its SDK; a rewrite of the file must keep it.
            sdk.annotateThroughSdk("set-by-match-server", "yes");
            sdkServers.add(sdk);
            bySdkPort.put(9000 + index, sdk);
        }
        return new LocalGameServer(file, 9000 + index, "127.0.0.1", 7000 + index);
    }

    private LocalFleetAllocator allocator(List<LocalGameServer> servers) {
        return new LocalFleetAllocator(
                servers,
                server -> {
                    AgonesSdkDouble sdk = bySdkPort.get(server.sdkPort());
                    return sdk != null
                            ? NettyChannelBuilder.forAddress("127.0.0.1", sdk.port())
                                    .usePlaintext()
                                    .build()
                            : InProcessChannelBuilder.forName("nobody-listens-" + server.sdkPort())
                                    .build();
                },
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                nanos::get);
    }

    @Test
    void picksTheFirstReadyServerSkippingAllocatedAndUnreachableOnes() throws Exception {
        List<LocalGameServer> servers =
                List.of(server(0, "Allocated"), server(1, null), server(2, "Ready"), server(3, "Ready"));
        try (LocalFleetAllocator allocator = allocator(servers)) {
            AllocationResult result = allocator.allocate(MATCH);

            assertEquals(new AllocationResult.Allocated("local-2", "127.0.0.1", 7002), result);
            assertEquals("Allocated", state(servers.get(2).file()));
            assertEquals("Ready", state(servers.get(3).file()), "only the chosen server's file is written");
        }
    }

    @Test
    void aServerJustAllocatedIsNotHandedOutAgainWhileTheSdkServerCatchesUp() throws Exception {
        List<LocalGameServer> servers = List.of(server(0, "Ready"));
        try (LocalFleetAllocator allocator = allocator(servers)) {
            assertInstanceOf(AllocationResult.Allocated.class, allocator.allocate(MATCH));

            // The double still says Ready, as the real SDK server does until its file watch fires.
            assertInstanceOf(AllocationResult.NoCapacity.class, allocator.allocate(MATCH));

            nanos.addAndGet(Duration.ofSeconds(5).toNanos());
            sdkServers.get(0).setState("Allocated");
            assertInstanceOf(
                    AllocationResult.NoCapacity.class,
                    allocator.allocate(MATCH),
                    "after the hold, what the SDK server says is the truth");
            sdkServers.get(0).setState("Ready");
            assertInstanceOf(
                    AllocationResult.Allocated.class,
                    allocator.allocate(MATCH),
                    "back in the fleet once its match server called Ready() again");
        }
    }

    @Test
    void concurrentAllocationsNeverShareAServer() throws Exception {
        List<LocalGameServer> servers = List.of(server(0, "Ready"), server(1, "Ready"), server(2, "Allocated"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (LocalFleetAllocator allocator = allocator(servers)) {
            List<Callable<AllocationResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> allocator.allocate(MATCH));
            }
            Set<String> allocated = new HashSet<>();
            int noCapacity = 0;
            for (Future<AllocationResult> future : pool.invokeAll(calls)) {
                AllocationResult result = future.get();
                if (result instanceof AllocationResult.Allocated server) {
                    assertTrue(allocated.add(server.gameServerName()), "allocated twice: " + server);
                } else {
                    assertInstanceOf(AllocationResult.NoCapacity.class, result);
                    noCapacity++;
                }
            }
            assertEquals(Set.of("local-0", "local-1"), allocated);
            assertEquals(6, noCapacity);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noSdkServerAnsweringIsAFailureNotNoCapacity() throws Exception {
        try (LocalFleetAllocator allocator = allocator(List.of(server(0, null), server(1, null)))) {
            assertInstanceOf(AllocationResult.Failure.class, allocator.allocate(MATCH));
        }
    }

    @Test
    void fileIsRewrittenInPlaceAsAnAllocatedGameServerWithTheMatchMetadata() throws Exception {
        LocalGameServer server = server(0, "Ready");
        Object inode = Files.getAttribute(server.file(), "unix:ino");
        try (LocalFleetAllocator allocator = allocator(List.of(server))) {
            allocator.allocate(MATCH);
        }

        assertEquals(
                inode,
                Files.getAttribute(server.file(), "unix:ino"),
                "written in place: the SDK server misses a rename");
        Map<String, Object> document = GameServerFile.load(server.file());
        assertEquals("Allocated", state(server.file()));
        Map<?, ?> metadata = (Map<?, ?>) document.get("metadata");
        Map<?, ?> annotations = (Map<?, ?>) metadata.get("annotations");
        assertEquals("m-7", annotations.get(GameServerMetadata.MATCH_ID_ANNOTATION));
        MatchAllocation.Builder parsed = MatchAllocation.newBuilder();
        JsonFormat.parser().merge((String) annotations.get(GameServerMetadata.MATCH_ANNOTATION), parsed);
        assertEquals(MATCH, parsed.build());
        assertEquals("local", annotations.get("agones.dev/sdk-version"), "the file's own annotations are kept");
        assertEquals(
                "yes",
                annotations.get("agones.dev/sdk-set-by-match-server"),
                "annotations set through the SDK are kept");
        Map<?, ?> labels = (Map<?, ?>) metadata.get("labels");
        assertEquals("2v2", labels.get(GameServerMetadata.MODE_LABEL));
        assertEquals("local", labels.get("trespasser.dev/fleet"));
        Map<?, ?> status = (Map<?, ?>) document.get("status");
        assertEquals("127.0.0.1", status.get("address"));
        assertEquals(List.of(Map.of("name", "game", "port", 7654)), status.get("ports"));
        assertTrue(document.containsKey("spec"));
    }

    @Test
    void shorterRewriteLeavesNoTailOfTheOldDocument() throws Exception {
        Path file = dir.resolve("gs.yaml");
        String longer =
                gameServerYaml("a-very-long-game-server-name-that-takes-room", "Ready") + "# " + "x".repeat(500) + "\n";
        Files.writeString(file, longer);

        GameServerFile.writeInPlace(file, "status:\n  state: Allocated\n");

        assertEquals(longer.length(), Files.size(file), "padded, never truncated");
        assertEquals(Map.of("status", Map.of("state", "Allocated")), GameServerFile.load(file));
    }

    @Test
    void fleetSpecNamesFileSdkPortAndPlayerAddress() {
        List<LocalGameServer> servers = LocalGameServer.parseAll(
                "/tmp/local stack/gs-0.yaml:9357:127.0.0.1:7777, /tmp/gs-1.yaml:9457:localhost:7778");

        assertEquals(
                new LocalGameServer(Path.of("/tmp/local stack/gs-0.yaml"), 9357, "127.0.0.1", 7777), servers.get(0));
        assertEquals(new LocalGameServer(Path.of("/tmp/gs-1.yaml"), 9457, "localhost", 7778), servers.get(1));
        assertThrows(IllegalArgumentException.class, () -> LocalGameServer.parseAll("/tmp/gs.yaml:9357:7777"));
        assertThrows(IllegalArgumentException.class, () -> LocalGameServer.parseAll("/tmp/gs.yaml:sdk:127.0.0.1:7777"));
    }

    private static String state(Path file) throws Exception {
        return String.valueOf(((Map<?, ?>) GameServerFile.load(file).get("status")).get("state"));
    }
}
