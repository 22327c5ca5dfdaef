package dev.trespasser.match.sim;

public enum SoundKind {
    FOOTSTEP_WALK,
    FOOTSTEP_RUN,
    GUNSHOT,
    EXPLOSION,
    SLICE_DESTROYED
}
