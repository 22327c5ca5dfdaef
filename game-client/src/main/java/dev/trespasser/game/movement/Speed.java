package dev.trespasser.game.movement;

/** Movement speed chosen per input: faster is louder and less accurate. */
public enum Speed {
    SNEAK,
    WALK,
    RUN
}
