package dev.trespasser.bots.ai;

import dev.trespasser.proto.game.v1.SoundKind;

/**
 * A sound as the server reports it: where it came from as seen from the listener (16-bit angle,
 * like aim), whether a wall muffled it, and what it was. Never a position.
 */
public record HeardSound(SoundKind kind, int direction, boolean muffled) {

    /** How much a sound is worth turning towards: shots and blasts above running, above walking. */
    int urgency() {
        return switch (kind) {
            case SOUND_KIND_GUNSHOT, SOUND_KIND_EXPLOSION -> 3;
            case SOUND_KIND_FOOTSTEP_RUN, SOUND_KIND_SLICE_DESTROYED -> 2;
            case SOUND_KIND_FOOTSTEP_WALK -> 1;
            default -> 0;
        };
    }
}
