package dev.trespasser.match.sim;

/** What the server does with the match: keep running it, or give the GameServer back. */
public enum Outcome {
    /** Still being played (including the scoreboard). */
    RUNNING,
    /** Too few players ever connected, or every slot was dropped: no result to publish. */
    ABANDONED,
    /** Played to the end and nobody (enough) voted to play again: publish the result. */
    FINISHED
}
