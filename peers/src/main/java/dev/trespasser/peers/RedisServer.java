package dev.trespasser.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Debian's redis-server on a free loopback port, without persistence, stopped on close. */
public final class RedisServer implements AutoCloseable {
    private final PeerProcess process;
    private final int port;

    private RedisServer(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(Path logDir) {
        return start(logDir, FreePort.pick());
    }

    /** On a given port: e.g. to bring a stopped Redis back at the address its clients know. */
    public static RedisServer start(Path logDir, int port) {
        PeerProcess process = PeerProcess.start("redis-" + port, List.of(
                PeerBinaries.locate().redisServer().toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no"), Map.of(), logDir);
        RedisServer redis = new RedisServer(process, port);
        try {
            process.awaitReady(Duration.ofSeconds(10), redis::answersPing);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** One PING; false while redis-server is still starting. */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
