package dev.trespasser.localstack.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.agones.sdk.Duration;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.KeyValue;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.agones.sdk.alpha.Count;
import dev.trespasser.proto.agones.sdk.alpha.PlayerID;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in over real gRPC, against the local-mode behaviour PEERS.md documents. */
class SdkServerStandInTest {
    @TempDir
    Path dir;
    private Path file;
    private SdkServerStandIn server;
    private ManagedChannel channel;
    private SDKGrpc.SDKBlockingStub sdk;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("gameserver.yaml");
        Files.writeString(file, GameServerDocument.fresh("local-1", "uid-1", "127.0.0.1", 7777, Instant.now()));
        server = SdkServerStandIn.start(file, "test");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        sdk = SDKGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    @Test
    void servesTheFileAndPushesEveryChangeToWatchers() throws Exception {
        BlockingQueue<GameServer> updates = new LinkedBlockingQueue<>();
        SDKGrpc.newStub(channel).watchGameServer(Empty.getDefaultInstance(), collect(updates));
        assertEquals("Scheduled", next(updates).getStatus().getState());

        sdk.ready(Empty.getDefaultInstance());
        assertEquals("Ready", next(updates).getStatus().getState());

        // The director allocates by rewriting the file in place: the whole GameServer is replaced.
        GameServerDocument.writeInPlace(file, "metadata:\n  name: local-1\n  annotations:\n    trespasser.dev/match-id: m-1\nstatus:\n  state: Allocated\n");
        GameServer allocated = next(updates);
        assertEquals("Allocated", allocated.getStatus().getState());
        assertEquals("m-1", allocated.getObjectMeta().getAnnotationsOrThrow("trespasser.dev/match-id"));
        assertEquals(0, allocated.getStatus().getPortsCount(), "a write replaces everything, ports included");

        sdk.ready(Empty.getDefaultInstance());
        GameServer back = next(updates);
        assertEquals("Ready", back.getStatus().getState());
        assertEquals("m-1", back.getObjectMeta().getAnnotationsOrThrow("trespasser.dev/match-id"), "Ready keeps allocation metadata");
        assertEquals("Ready", sdk.getGameServer(Empty.getDefaultInstance()).getStatus().getState());

        sdk.shutdown(Empty.getDefaultInstance());
        assertEquals("Shutdown", next(updates).getStatus().getState());
    }

    @Test
    void aMalformedWriteKeepsTheLastGoodGameServer() throws Exception {
        sdk.ready(Empty.getDefaultInstance());
        long before = server.fileReloads();
        GameServerDocument.writeInPlace(file, "metadata: [broken");
        Thread.sleep(500);
        assertEquals(before, server.fileReloads());
        assertEquals("Ready", sdk.getGameServer(Empty.getDefaultInstance()).getStatus().getState());
    }

    @Test
    void labelsAndAnnotationsGetTheSdkPrefix() {
        sdk.setLabel(KeyValue.newBuilder().setKey("mode").setValue("4v4").build());
        sdk.setAnnotation(KeyValue.newBuilder().setKey("note").setValue("hi").build());
        GameServer gs = sdk.getGameServer(Empty.getDefaultInstance());
        assertEquals("4v4", gs.getObjectMeta().getLabelsOrThrow("agones.dev/sdk-mode"));
        assertEquals("hi", gs.getObjectMeta().getAnnotationsOrThrow("agones.dev/sdk-note"));
    }

    @Test
    void reserveReturnsToReadyAfterItsDuration() throws Exception {
        sdk.reserve(Duration.newBuilder().setSeconds(1).build());
        assertEquals("Reserved", sdk.getGameServer(Empty.getDefaultInstance()).getStatus().getState());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!"Ready".equals(server.gameServer().getStatus().getState()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("Ready", server.gameServer().getStatus().getState());
        assertThrows(StatusRuntimeException.class, () -> sdk.reserve(Duration.newBuilder().setSeconds(-1).build()));
    }

    @Test
    void healthIsAClientStreamOfPings() throws Exception {
        BlockingQueue<Empty> done = new LinkedBlockingQueue<>();
        StreamObserver<Empty> pings = SDKGrpc.newStub(channel).health(collect(done));
        for (int i = 0; i < 3; i++) {
            pings.onNext(Empty.getDefaultInstance());
        }
        pings.onCompleted();
        done.poll(5, TimeUnit.SECONDS);
        assertEquals(3, server.healthPings());
    }

    @Test
    void playerTrackingRespectsCapacity() {
        var alpha = dev.trespasser.proto.agones.sdk.alpha.SDKGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        PlayerID p1 = PlayerID.newBuilder().setPlayerID("p1").build();
        assertThrows(StatusRuntimeException.class, () -> alpha.playerConnect(p1), "capacity 0 admits nobody");
        alpha.setPlayerCapacity(Count.newBuilder().setCount(1).build());
        assertTrue(alpha.playerConnect(p1).getBool());
        assertFalse(alpha.playerConnect(p1).getBool(), "already connected");
        assertThrows(StatusRuntimeException.class, () -> alpha.playerConnect(PlayerID.newBuilder().setPlayerID("p2").build()));
        assertEquals(1, alpha.getPlayerCount(dev.trespasser.proto.agones.sdk.alpha.Empty.getDefaultInstance()).getCount());
        assertTrue(alpha.isPlayerConnected(p1).getBool());
        assertTrue(alpha.playerDisconnect(p1).getBool());
        assertFalse(alpha.playerDisconnect(p1).getBool());
        assertEquals(0, alpha.getConnectedPlayers(dev.trespasser.proto.agones.sdk.alpha.Empty.getDefaultInstance()).getListCount());
    }

    private static GameServer next(BlockingQueue<GameServer> updates) throws InterruptedException {
        GameServer gs = updates.poll(5, TimeUnit.SECONDS);
        if (gs == null) {
            throw new AssertionError("no WatchGameServer update within 5 s");
        }
        return gs;
    }

    private static <T> StreamObserver<T> collect(BlockingQueue<T> queue) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                queue.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }
}
