package dev.trespasser.match.protocol;

import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.SoundKind;
import dev.trespasser.match.sim.Speed;
import dev.trespasser.match.sim.Team;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.MovementSpeed;

/** How simulation values look on the wire: quantisation and enum numbers, in one place. */
public final class Wire {

    /** Positions travel as world units times this, rounded: 1/8 unit is finer than a pixel. */
    public static final int POSITION_SCALE = 8;

    private Wire() {
    }

    public static int position(double worldUnits) {
        return (int) Math.round(worldUnits * POSITION_SCALE);
    }

    public static double worldUnits(int wire) {
        return wire / (double) POSITION_SCALE;
    }

    public static MatchPhase phase(Phase phase) {
        return switch (phase) {
            case WAITING -> MatchPhase.MATCH_PHASE_WAITING;
            case WARMUP -> MatchPhase.MATCH_PHASE_WARMUP;
            case ACTIVE -> MatchPhase.MATCH_PHASE_ACTIVE;
            case ENDING -> MatchPhase.MATCH_PHASE_ENDING;
            // CLOSED is never shown: the last thing a player saw was the scoreboard.
            case SCOREBOARD, CLOSED -> MatchPhase.MATCH_PHASE_SCOREBOARD;
        };
    }

    public static MovementSpeed speed(Speed speed) {
        return switch (speed) {
            case SNEAK -> MovementSpeed.MOVEMENT_SPEED_SNEAK;
            case WALK -> MovementSpeed.MOVEMENT_SPEED_WALK;
            case RUN -> MovementSpeed.MOVEMENT_SPEED_RUN;
        };
    }

    public static dev.trespasser.proto.game.v1.Team team(Team team) {
        return team == Team.RED ? dev.trespasser.proto.game.v1.Team.TEAM_RED
                : dev.trespasser.proto.game.v1.Team.TEAM_BLUE;
    }

    public static dev.trespasser.proto.game.v1.SoundKind sound(SoundKind kind) {
        return switch (kind) {
            case FOOTSTEP_WALK -> dev.trespasser.proto.game.v1.SoundKind.SOUND_KIND_FOOTSTEP_WALK;
            case FOOTSTEP_RUN -> dev.trespasser.proto.game.v1.SoundKind.SOUND_KIND_FOOTSTEP_RUN;
            case GUNSHOT -> dev.trespasser.proto.game.v1.SoundKind.SOUND_KIND_GUNSHOT;
            case EXPLOSION -> dev.trespasser.proto.game.v1.SoundKind.SOUND_KIND_EXPLOSION;
            case SLICE_DESTROYED -> dev.trespasser.proto.game.v1.SoundKind.SOUND_KIND_SLICE_DESTROYED;
        };
    }

    /** EventBatch.sounds packing: direction in bits 0-15, muffled in bit 16, kind from bit 17. */
    public static int packSound(SoundKind kind, int direction, boolean muffled) {
        return (direction & 0xFFFF) | (muffled ? 1 << 16 : 0) | (sound(kind).getNumber() << 17);
    }

    public static int soundDirection(int packed) {
        return packed & 0xFFFF;
    }

    public static boolean soundMuffled(int packed) {
        return (packed & (1 << 16)) != 0;
    }

    public static dev.trespasser.proto.game.v1.SoundKind soundKind(int packed) {
        dev.trespasser.proto.game.v1.SoundKind kind = dev.trespasser.proto.game.v1.SoundKind.forNumber(packed >>> 17);
        return kind == null ? dev.trespasser.proto.game.v1.SoundKind.SOUND_KIND_UNSPECIFIED : kind;
    }

    /** Whole seconds left, rounded up so a countdown never shows 0 while time remains. */
    public static int seconds(int ticks, int tickRateHz) {
        return (ticks + tickRateHz - 1) / tickRateHz;
    }
}
