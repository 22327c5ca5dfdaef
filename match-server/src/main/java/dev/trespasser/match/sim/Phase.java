package dev.trespasser.match.sim;

/** Match phases in order; {@code CLOSED} is terminal and never sent to players. */
public enum Phase {
    WAITING,
    WARMUP,
    ACTIVE,
    ENDING,
    SCOREBOARD,
    CLOSED
}
