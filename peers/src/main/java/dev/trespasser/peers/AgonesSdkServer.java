package dev.trespasser.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Agones SDK server (the sidecar binary) on free loopback ports, in one of its two
 * off-cluster modes: local mode driven by a GameServer file, or conformance mode that records
 * the SDK calls it receives and judges them by its exit code.
 */
public final class AgonesSdkServer implements AutoCloseable {
    private final PeerProcess process;
    private final int grpcPort;
    private final int httpPort;

    private AgonesSdkServer(PeerProcess process, int grpcPort, int httpPort) {
        this.process = process;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
    }

    /**
     * Local mode: the server serves the GameServer in {@code gameServerFile} and replaces it
     * whenever the file is written in place (a save by rename is missed).
     */
    public static AgonesSdkServer local(Path gameServerFile, Path logDir, String name) {
        return local(gameServerFile, logDir, name, "");
    }

    /** Local mode with Agones feature gates, e.g. {@code PlayerTracking=true} for the alpha player calls. */
    public static AgonesSdkServer local(Path gameServerFile, Path logDir, String name, String featureGates) {
        List<String> args = new ArrayList<>(
                List.of("--local", "--file", gameServerFile.toAbsolutePath().toString()));
        if (!featureGates.isEmpty()) {
            args.addAll(List.of("--feature-gates", featureGates));
        }
        return start(name, args, logDir);
    }

    /**
     * Conformance mode: on {@code timeout} the server compares the set of calls it received with
     * {@code expectedCalls} and exits 0 ("Test run was successful") or 1 ("Testing Failed").
     */
    public static AgonesSdkServer conformance(List<String> expectedCalls, Duration timeout, Path logDir) {
        return start(
                "sdk-server-test",
                List.of(
                        "--test", String.join(",", expectedCalls),
                        "--timeout", Long.toString(timeout.toSeconds())),
                logDir);
    }

    private static AgonesSdkServer start(String name, List<String> modeArgs, Path logDir) {
        Path binary = PeerBinaries.locate().agonesSdkServer();
        int grpcPort = FreePort.pick();
        int httpPort = FreePort.pick();
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(modeArgs);
        command.addAll(List.of(
                "--address", "127.0.0.1",
                "--grpc-port", Integer.toString(grpcPort),
                "--http-port", Integer.toString(httpPort)));
        PeerProcess process = PeerProcess.start(name, command, Map.of(), logDir);
        AgonesSdkServer server = new AgonesSdkServer(process, grpcPort, httpPort);
        try {
            process.awaitReady(Duration.ofSeconds(15), server::listening);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The HTTP/JSON gateway serving the same SDK (Agones' REST SDK). */
    public int httpPort() {
        return httpPort;
    }

    public PeerProcess process() {
        return process;
    }

    /** Readiness by TCP only: in conformance mode any RPC would count as a call under test. */
    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", grpcPort), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
