package dev.trespasser.director.allocation;

import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process test double of one Agones SDK server, answering GetGameServer with a state the
 * test sets. It does not watch files: the real SDK server does that, in LocalFleetAgonesSdkTest.
 */
final class FakeSdkServer extends SDKGrpc.SDKImplBase implements AutoCloseable {

    final String name;
    private final String gameServerName;
    private final Server server;
    private volatile String state;

    FakeSdkServer(String gameServerName, String state) throws IOException {
        this.name = InProcessServerBuilder.generateName();
        this.state = state;
        this.gameServerName = gameServerName;
        this.server = InProcessServerBuilder.forName(name).addService(this).build().start();
    }

    void setState(String state) {
        this.state = state;
    }

    ManagedChannel channel() {
        return InProcessChannelBuilder.forName(name).build();
    }

    @Override
    public void getGameServer(Empty request, StreamObserver<GameServer> responses) {
        GameServer.Builder gameServer = GameServer.newBuilder();
        gameServer.getObjectMetaBuilder().setName(gameServerName).putAnnotations("agones.dev/sdk-set-by-match-server", "yes");
        gameServer.getStatusBuilder().setState(state);
        responses.onNext(gameServer.build());
        responses.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
