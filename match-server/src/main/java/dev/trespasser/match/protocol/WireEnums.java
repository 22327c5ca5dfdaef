package dev.trespasser.match.protocol;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.SoundKind;
import dev.trespasser.match.sim.Team;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.MovementSpeed;

/** The simulation's enums as the wire numbers them; the server side of {@link Wire}. */
public final class WireEnums {

    private WireEnums() {}

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
        return team == Team.RED
                ? dev.trespasser.proto.game.v1.Team.TEAM_RED
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

    /** {@link Wire#packSound} for a sound the simulation made. */
    public static int packSound(SoundKind kind, int direction, boolean muffled) {
        return Wire.packSound(sound(kind), direction, muffled);
    }
}
