package dev.trespasser.peers.doubles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one loopback TCP proxy of the tests: it pipes every accepted connection to an upstream
 * port on 127.0.0.1 and can break those connections the ways a network or a dying process does,
 * which the real peer cannot be asked to do on cue. It can
 * <ul>
 *   <li>close every open connection ({@link #closeConnections}) or reset them all and stop
 *       listening, as a SIGKILL of the upstream would ({@link #kill});</li>
 *   <li>move to a new upstream ({@link #retarget}) or close new connections at once while there
 *       is none ({@link #refuseNewConnections}), as a Kubernetes Service over a restarted pod;</li>
 *   <li>let a request through and throw its reply away, cutting the connection
 *       ({@link #dropRepliesTo}): the one failure a client cannot tell from a refusal.</li>
 * </ul>
 */
public final class LoopbackProxy implements AutoCloseable {

    private static final int NO_UPSTREAM = -1;

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int upstreamPort;
    private volatile String dropMarker;
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final AtomicInteger repliesDropped = new AtomicInteger();

    private LoopbackProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread acceptor = new Thread(this::accept, "loopback-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to this loopback port, listening on a free one of its own. */
    public static LoopbackProxy to(int upstreamPort) throws IOException {
        return new LoopbackProxy(upstreamPort);
    }

    /** A proxy with no upstream yet: connections are closed at once until {@link #retarget}. */
    public static LoopbackProxy unattached() throws IOException {
        return new LoopbackProxy(NO_UPSTREAM);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** New connections go to this upstream port; open ones stay where they are. */
    public void retarget(int upstreamPort) {
        this.upstreamPort = upstreamPort;
    }

    /** New connections are accepted and closed at once, as while nothing is behind a Service. */
    public void refuseNewConnections() {
        this.upstreamPort = NO_UPSTREAM;
    }

    /**
     * The first {@code exchanges} connections that send a request containing {@code marker}
     * (case-insensitive) reach the upstream, but the first reply after it is thrown away and both
     * sides are cut.
     */
    public LoopbackProxy dropRepliesTo(String marker, int exchanges) {
        dropMarker = marker.toUpperCase(Locale.ROOT);
        dropsLeft.set(exchanges);
        return this;
    }

    /** How many replies {@link #dropRepliesTo} has thrown away. */
    public int repliesDropped() {
        return repliesDropped.get();
    }

    /** Closes every open connection (both sides see an orderly close); keeps listening. */
    public void closeConnections() {
        open.forEach(LoopbackProxy::closeQuietly);
    }

    /** Resets every connection (RST, no close handshake) and stops listening. */
    public void kill() {
        closeListener();
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException alreadyClosed) {
                // Closed below anyway.
            }
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            int target = upstreamPort;
            if (target == NO_UPSTREAM) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                AtomicBoolean markerSent = new AtomicBoolean();
                pipe(client, upstream, markerSent, true);
                pipe(upstream, client, markerSent, false);
            } catch (IOException refused) {
                closeQuietly(client);
            }
        }
    }

    private void pipe(Socket from, Socket to, AtomicBoolean markerSent, boolean towardsUpstream) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            String marker = dropMarker;
                            if (marker != null && towardsUpstream) {
                                if (new String(buffer, 0, read, StandardCharsets.ISO_8859_1)
                                        .toUpperCase(Locale.ROOT)
                                        .contains(marker)) {
                                    markerSent.set(true);
                                }
                            } else if (marker != null
                                    && markerSent.get()
                                    && dropsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                                repliesDropped.incrementAndGet();
                                return;
                            }
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    } catch (IOException cut) {
                        // One side went away: both are closed below.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "loopback-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException closing) {
            // Closing anyway.
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyClosed) {
            // Nothing left to do.
        }
    }

    /** Stops listening and closes every open connection. */
    @Override
    public void close() {
        closeListener();
        closeConnections();
    }
}
