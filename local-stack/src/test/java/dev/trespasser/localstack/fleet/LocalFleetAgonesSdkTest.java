package dev.trespasser.localstack.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.localstack.fleet.LocalFleetAllocator.LocalGameServer;
import dev.trespasser.peers.AgonesSdkServer;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local fleet allocator against REAL Agones SDK servers in local mode: the file it rewrites
 * must become the SDK server's GameServer, Allocated and carrying the match.
 */
class LocalFleetAgonesSdkTest {

    private static final Path LOGS = Path.of("target/peer-logs");

    @Test
    void allocationReachesTheSdkServersGameServerAndTheServerIsNotAllocatedTwice(@TempDir Path dir) throws Exception {
        Path readyFile = dir.resolve("gs-0.yaml");
        Path busyFile = dir.resolve("gs-1.yaml");
        Files.writeString(readyFile, LocalFleetAllocatorTest.gameServerYaml("local-0", "Ready"));
        Files.writeString(busyFile, LocalFleetAllocatorTest.gameServerYaml("local-1", "Allocated"));
        try (AgonesSdkServer busy = AgonesSdkServer.local(busyFile, LOGS, "sdk-server-local-busy");
                AgonesSdkServer ready = AgonesSdkServer.local(readyFile, LOGS, "sdk-server-local-ready");
                LocalFleetAllocator allocator = LocalFleetAllocator.connect(List.of(
                        new LocalGameServer(busyFile, busy.grpcPort(), "127.0.0.1", 7001),
                        new LocalGameServer(readyFile, ready.grpcPort(), "127.0.0.1", 7000)))) {

            AllocationResult result = allocator.allocate(LocalFleetAllocatorTest.MATCH);
            assertEquals(new AllocationResult.Allocated("local-0", "127.0.0.1", 7000), result);

            GameServer allocated = awaitState(ready.grpcPort(), "Allocated");
            MatchAllocation.Builder parsed = MatchAllocation.newBuilder();
            JsonFormat.parser()
                    .merge(
                            allocated.getObjectMeta().getAnnotationsOrThrow(GameServerMetadata.MATCH_ANNOTATION),
                            parsed);
            assertEquals(LocalFleetAllocatorTest.MATCH, parsed.build());
            assertEquals("2v2", allocated.getObjectMeta().getLabelsOrThrow(GameServerMetadata.MODE_LABEL));

            assertInstanceOf(AllocationResult.NoCapacity.class, allocator.allocate(LocalFleetAllocatorTest.MATCH));
        }
    }

    private static GameServer awaitState(int sdkPort, String state) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", sdkPort)
                .usePlaintext()
                .build();
        try {
            SDKGrpc.SDKBlockingStub sdk = SDKGrpc.newBlockingStub(channel);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            GameServer last = null;
            while (System.nanoTime() < deadline) {
                last = sdk.withDeadlineAfter(2, TimeUnit.SECONDS).getGameServer(Empty.getDefaultInstance());
                if (last.getStatus().getState().equals(state)) {
                    return last;
                }
                Thread.sleep(100);
            }
            assertTrue(false, "SDK server never reported " + state + "; last: " + last);
            return last;
        } finally {
            channel.shutdownNow();
        }
    }
}
