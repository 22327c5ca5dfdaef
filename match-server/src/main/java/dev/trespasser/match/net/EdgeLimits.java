package dev.trespasser.match.net;

import java.time.Duration;

/**
 * What one connection may cost the server.
 *
 * @param handshakeTimeout     time from TCP accept to a completed WebSocket upgrade before the socket is
 *                             closed ({@code MATCH_HANDSHAKE_TIMEOUT_MS})
 * @param handshakeBytes       bytes a client may send before its upgrade completes (the HTTP request; a
 *                             browser's is under 1 KiB); more closes the socket
 * @param joinTimeout          time from the WebSocket handshake to a valid join before the connection is closed
 * @param framesPerSecond      client frames accepted per second after the join (inputs at 60 Hz plus acks
 *                             at 30 Hz fit); inputs and acks above the rate are dropped, a restart
 *                             vote is kept (it is sent once) but costs flood budget. WebSocket control
 *                             frames (ping, pong) cost the same budget before and after the join
 * @param frameBurst           frames accepted at once above the rate (a stalled client catching up)
 * @param droppedBeforeClose   dropped frames tolerated (refilled at {@code framesPerSecond / 3}) before
 *                             the flood closes the connection
 * @param transportFrameBytes  largest WebSocket frame (or fragmented message) accepted; larger closes with 1009
 * @param backlogBytes         queued outbound bytes above which snapshots are dropped
 * @param backlogCloseBytes    queued outbound bytes at which the connection is closed as a slow consumer
 * @param backlogGrace         how long the backlog may stay above {@code backlogBytes} before closing
 * @param socketSendBufferBytes the kernel send buffer (SO_SNDBUF) of each player's socket. Fixed and small
 *                             on purpose: with autotuning, Linux buffers up to 4 MiB, minutes of a player's
 *                             ~1.2 KB/s, out of the edge's sight, so a stalled player would be neither
 *                             dropped to nor closed; stale snapshots are worthless anyway
 * @param connectionsPerAddress open connections one remote address may hold before they join
 *                             ({@code MATCH_CONNECTIONS_PER_ADDRESS}); a joined player no longer counts
 * @param connectionsTotal     open connections in all, joined or not ({@code MATCH_CONNECTIONS_MAX})
 * @param silenceTimeout       a joined player from whom nothing (no frame, no pong) arrives this long is
 *                             gone: cut at the TCP level. Halfway there the server pings them (a
 *                             browser answers pings even in a throttled background tab)
 */
public record EdgeLimits(
        Duration handshakeTimeout,
        int handshakeBytes,
        Duration joinTimeout,
        int framesPerSecond,
        int frameBurst,
        int droppedBeforeClose,
        int transportFrameBytes,
        int backlogBytes,
        int backlogCloseBytes,
        Duration backlogGrace,
        int socketSendBufferBytes,
        int connectionsPerAddress,
        int connectionsTotal,
        Duration silenceTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** A browser opens one socket per tab; a household behind one NAT joining at once fits. */
    public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 4;
    /** Eight players, their reconnects, and room to spare; each costs heap in a 16 MiB process. */
    public static final int DEFAULT_CONNECTIONS_TOTAL = 64;

    public EdgeLimits {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + handshakeTimeout);
        }
        if (handshakeBytes < 1024) {
            throw new IllegalArgumentException("a WebSocket upgrade request needs at least 1 KiB: " + handshakeBytes);
        }
        if (silenceTimeout.isNegative() || silenceTimeout.isZero()) {
            throw new IllegalArgumentException("silence timeout must be positive: " + silenceTimeout);
        }
        if (connectionsPerAddress < 1 || connectionsTotal < 1) {
            throw new IllegalArgumentException("connection caps must be positive: " + connectionsPerAddress
                    + " per address, " + connectionsTotal + " in total");
        }
    }

    public static EdgeLimits defaults() {
        return new EdgeLimits(
                DEFAULT_HANDSHAKE_TIMEOUT,
                8 * 1024,
                Duration.ofSeconds(5),
                120,
                40,
                240,
                16 * 1024,
                16 * 1024,
                256 * 1024,
                Duration.ofSeconds(3),
                16 * 1024,
                DEFAULT_CONNECTIONS_PER_ADDRESS,
                DEFAULT_CONNECTIONS_TOTAL,
                Duration.ofSeconds(30));
    }

    /** For matches run faster than real time, where inputs and acks come faster too. */
    public EdgeLimits withFrameRate(int perSecond, int burst) {
        return new EdgeLimits(
                handshakeTimeout,
                handshakeBytes,
                joinTimeout,
                perSecond,
                burst,
                droppedBeforeClose,
                transportFrameBytes,
                backlogBytes,
                backlogCloseBytes,
                backlogGrace,
                socketSendBufferBytes,
                connectionsPerAddress,
                connectionsTotal,
                silenceTimeout);
    }

    public EdgeLimits withJoinTimeout(Duration timeout) {
        return new EdgeLimits(
                handshakeTimeout,
                handshakeBytes,
                timeout,
                framesPerSecond,
                frameBurst,
                droppedBeforeClose,
                transportFrameBytes,
                backlogBytes,
                backlogCloseBytes,
                backlogGrace,
                socketSendBufferBytes,
                connectionsPerAddress,
                connectionsTotal,
                silenceTimeout);
    }

    public EdgeLimits withHandshakeTimeout(Duration timeout) {
        return new EdgeLimits(
                timeout,
                handshakeBytes,
                joinTimeout,
                framesPerSecond,
                frameBurst,
                droppedBeforeClose,
                transportFrameBytes,
                backlogBytes,
                backlogCloseBytes,
                backlogGrace,
                socketSendBufferBytes,
                connectionsPerAddress,
                connectionsTotal,
                silenceTimeout);
    }

    /** Outbound bounds: drop snapshots above {@code dropBytes} queued, close above it for {@code grace} or at {@code closeBytes}. */
    public EdgeLimits withBacklog(int dropBytes, int closeBytes, Duration grace, int sendBufferBytes) {
        return new EdgeLimits(
                handshakeTimeout,
                handshakeBytes,
                joinTimeout,
                framesPerSecond,
                frameBurst,
                droppedBeforeClose,
                transportFrameBytes,
                dropBytes,
                closeBytes,
                grace,
                sendBufferBytes,
                connectionsPerAddress,
                connectionsTotal,
                silenceTimeout);
    }

    /** A joined player silent for {@code timeout} is cut; pinged at half of it. */
    public EdgeLimits withSilenceTimeout(Duration timeout) {
        return new EdgeLimits(
                handshakeTimeout,
                handshakeBytes,
                joinTimeout,
                framesPerSecond,
                frameBurst,
                droppedBeforeClose,
                transportFrameBytes,
                backlogBytes,
                backlogCloseBytes,
                backlogGrace,
                socketSendBufferBytes,
                connectionsPerAddress,
                connectionsTotal,
                timeout);
    }

    /** At most {@code perAddress} connections from one address before they join, {@code total} in all. */
    public EdgeLimits withConnectionCaps(int perAddress, int total) {
        return new EdgeLimits(
                handshakeTimeout,
                handshakeBytes,
                joinTimeout,
                framesPerSecond,
                frameBurst,
                droppedBeforeClose,
                transportFrameBytes,
                backlogBytes,
                backlogCloseBytes,
                backlogGrace,
                socketSendBufferBytes,
                perAddress,
                total,
                silenceTimeout);
    }
}
