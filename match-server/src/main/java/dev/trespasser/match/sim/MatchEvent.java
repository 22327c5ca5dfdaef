package dev.trespasser.match.sim;

/**
 * Everything that happened in a tick, for the network layer to turn into messages. Slots are
 * roster indices; -1 means "nobody". Positions are world units.
 */
public sealed interface MatchEvent {

    enum Cause {
        RIFLE,
        CHARGE
    }

    enum Connection {
        CONNECTED,
        DISCONNECTED,
        DROPPED
    }

    /** {@code killer == victim} for a self-kill; teammates killed with friendly fire give no credit. */
    record Kill(int killer, int victim, Cause cause) implements MatchEvent {}

    record Damage(int attacker, int victim, int amount, int healthLeft, Cause cause) implements MatchEvent {}

    /**
     * A sound as one listener hears it: direction from the listener (quantised like {@link Aim}),
     * never where it came from.
     */
    record Sound(int listener, SoundKind kind, int direction, boolean muffled) implements MatchEvent {}

    /** A slice's new HP (0: destroyed). */
    record SliceChange(int slice, int hp) implements MatchEvent {}

    /** The phase just entered and how many ticks it lasts at most (0: until the match decides). */
    record PhaseChange(Phase phase, int durationTicks) implements MatchEvent {}

    record ConnectionChange(int slot, Connection state) implements MatchEvent {}

    /** A rifle shot for effects; {@code hitPlayer} / {@code hitSlice} are -1 when it hit nothing of that kind. */
    record Shot(int shooter, double fromX, double fromY, double toX, double toY, int hitPlayer, int hitSlice)
            implements MatchEvent {}

    record ChargeThrown(int charge, int owner, double x, double y, int fuseTicks) implements MatchEvent {}

    record Explosion(int charge, int owner, double x, double y, int slicesDestroyed) implements MatchEvent {}

    record Spawn(int slot, double x, double y) implements MatchEvent {}

    record RestartVote(int slot, int votes) implements MatchEvent {}
}
