package dev.trespasser.match.net;

import java.time.Duration;

/**
 * What one connection may cost the server.
 *
 * @param joinTimeout          time from the WebSocket handshake to a valid join before the connection is closed
 * @param framesPerSecond      client frames accepted per second after the join (inputs at 60 Hz plus acks
 *                             at 30 Hz fit); frames above the rate are dropped
 * @param frameBurst           frames accepted at once above the rate (a stalled client catching up)
 * @param droppedBeforeClose   dropped frames tolerated (refilled at {@code framesPerSecond / 3}) before
 *                             the flood closes the connection
 * @param transportFrameBytes  largest WebSocket frame the library assembles; larger closes with 1009
 * @param backlogBytes         queued outbound bytes above which snapshots are dropped
 * @param backlogCloseBytes    queued outbound bytes at which the connection is closed as a slow consumer
 * @param backlogGrace         how long the backlog may stay above {@code backlogBytes} before closing
 */
public record EdgeLimits(Duration joinTimeout, int framesPerSecond, int frameBurst, int droppedBeforeClose,
                         int transportFrameBytes, int backlogBytes, int backlogCloseBytes, Duration backlogGrace) {

    public static EdgeLimits defaults() {
        return new EdgeLimits(Duration.ofSeconds(5), 120, 40, 240, 16 * 1024, 16 * 1024, 256 * 1024,
                Duration.ofSeconds(3));
    }

    /** For matches run faster than real time, where inputs and acks come faster too. */
    public EdgeLimits withFrameRate(int perSecond, int burst) {
        return new EdgeLimits(joinTimeout, perSecond, burst, droppedBeforeClose, transportFrameBytes,
                backlogBytes, backlogCloseBytes, backlogGrace);
    }

    public EdgeLimits withJoinTimeout(Duration timeout) {
        return new EdgeLimits(timeout, framesPerSecond, frameBurst, droppedBeforeClose, transportFrameBytes,
                backlogBytes, backlogCloseBytes, backlogGrace);
    }
}
