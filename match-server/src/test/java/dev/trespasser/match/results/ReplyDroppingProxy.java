package dev.trespasser.match.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real Redis that makes the one failure a retry cannot tell apart from
 * a refusal: the first EVAL reaches Redis and runs, then its reply is thrown away and the
 * client's connection cut, so the client sees an error for a write that happened.
 */
final class ReplyDroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int redisPort;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    final AtomicInteger repliesDropped = new AtomicInteger();

    ReplyDroppingProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                AtomicBoolean evalSent = new AtomicBoolean();
                pump(client, redis, evalSent, true);
                pump(redis, client, evalSent, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean evalSent, boolean towardsRedis) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (towardsRedis) {
                        if (new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toUpperCase().contains("EVAL")) {
                            evalSent.set(true);
                        }
                    } else if (evalSent.get() && armed.compareAndSet(true, false)) {
                        repliesDropped.incrementAndGet();
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException cut) {
                // One side closed: the other follows.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
