package dev.trespasser.localstack.fleet;

import dev.trespasser.peers.AgonesSdkServer;
import dev.trespasser.peers.PeerBinaries;
import java.nio.file.Path;

/**
 * The Agones SDK server beside one local match server, serving its GameServer file. The rest of
 * the stack does not care whether it is the real binary or the in-repo stand-in.
 */
public interface SdkSidecar extends AutoCloseable {

    /** The loopback gRPC port match server and director talk to. */
    int grpcPort();

    /** For the start-up banner: which SDK server this is. */
    String description();

    boolean isAlive();

    @Override
    void close();

    /**
     * The real SDK server in local mode when {@code scripts/install-peers.sh} could install it;
     * otherwise the stand-in, which says so loudly.
     */
    static SdkSidecar start(Path gameServerFile, Path logDir, String name) {
        if (PeerBinaries.locate().agonesSdkServer().isPresent()) {
            AgonesSdkServer real = AgonesSdkServer.local(gameServerFile, logDir, name);
            return new SdkSidecar() {
                @Override
                public int grpcPort() {
                    return real.grpcPort();
                }

                @Override
                public String description() {
                    return "Agones SDK server (real, local mode), pid " + real.process().pid() + ", log " + real.process().logFile();
                }

                @Override
                public boolean isAlive() {
                    return real.process().isAlive();
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }
        return SdkServerStandIn.start(gameServerFile, PeerBinaries.locate().agonesSdkServerUnavailableReason());
    }
}
