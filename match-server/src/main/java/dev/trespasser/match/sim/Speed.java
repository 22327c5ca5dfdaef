package dev.trespasser.match.sim;

/** Movement speed chosen per input: faster is louder and less accurate. */
public enum Speed {
    SNEAK,
    WALK,
    RUN
}
