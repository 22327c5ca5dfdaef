package dev.trespasser.director.endtoend;

import dev.trespasser.peers.OmCore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * om-core behind one fixed address, as a Kubernetes Service puts it: the frontend and the
 * director keep their target while the om-core behind it is killed and a new one started. Each
 * accepted connection is piped to the current om-core; when that one dies its connections close,
 * so clients see exactly what a restart does to them (a lost connection, then a new one that
 * reaches a process with empty state). With no om-core behind it, connections are closed at once.
 */
public final class OmCoreService implements AutoCloseable {

    private final Path logs;
    private final Map<String, String> settings;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile OmCore current;

    private OmCoreService(Path logs, Map<String, String> settings) throws IOException {
        this.logs = logs;
        this.settings = settings;
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "om-core-service");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts om-core (with these OM_* settings) behind a new fixed address. */
    public static OmCoreService start(Path logs, Map<String, String> settings) {
        try {
            OmCoreService service = new OmCoreService(logs, Map.copyOf(settings));
            service.current = OmCore.start(logs, settings);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address clients use, whichever om-core is behind it. */
    public String grpcTarget() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** The om-core behind the address now. */
    public OmCore omCore() {
        return current;
    }

    /** SIGKILL, as an OOM kill or a node loss does it: no goodbye to anyone. */
    public void kill() throws InterruptedException {
        OmCore dying = current;
        current = null;
        ProcessHandle.of(dying.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
        while (dying.process().isAlive()) {
            Thread.sleep(10);
        }
        dying.close();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /**
     * A new om-core, with empty state, behind the same address. om-core's own port is picked free
     * and then bound by om-core; while every client reconnects, an outgoing connection can take
     * that ephemeral port in between, so a start that lost its port is tried again.
     */
    public void restart() {
        for (int attempt = 1; ; attempt++) {
            try {
                current = OmCore.start(logs, settings);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            OmCore target = current;
            if (target == null) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target.grpcPort());
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "om-core-service-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
        if (current != null) {
            current.close();
        }
    }
}
