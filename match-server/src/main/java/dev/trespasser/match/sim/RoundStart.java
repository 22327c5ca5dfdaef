package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;
import java.util.List;

/**
 * What a round begun by a restart carries over from the rounds before it, taken in the tick of
 * the restart just before the new round starts: the tick, the random stream, the charge ids, and
 * each slot's connection and last applied input. With the header it rebuilds the match as the new
 * round began, so a round's replay needs nothing from earlier rounds.
 */
public record RoundStart(int tick, long randomState, int nextChargeId, List<Seat> seats) {

    /** One slot as the restart left it. {@code lastSequence} is unsigned, -1 before any input. */
    public record Seat(
            boolean connected,
            boolean everConnected,
            boolean dropped,
            int disconnectedTicks,
            long lastSequence,
            Speed speed,
            int aim,
            int throwDistance) {

        public Seat {
            if (speed == null) {
                throw new IllegalArgumentException("speed is required");
            }
            if (disconnectedTicks < 0
                    || lastSequence < -1
                    || lastSequence > 0xFFFF_FFFFL
                    || aim < 0
                    || aim > 0xFFFF
                    || throwDistance < 0) {
                throw new IllegalArgumentException("seat state out of range");
            }
        }
    }

    public RoundStart {
        seats = List.copyOf(seats);
        if (tick < 1 || nextChargeId < 1) {
            throw new IllegalArgumentException("a restart happens in a tick after the first, with charge ids from 1");
        }
    }
}
