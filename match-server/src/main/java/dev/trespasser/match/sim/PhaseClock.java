package dev.trespasser.match.sim;

/**
 * The phase a match is in, how many ticks it has been in it, and how long each phase lasts
 * ({@code WAITING} may end early, {@code ACTIVE} at the kill limit; {@code CLOSED} never ends).
 */
final class PhaseClock {

    private final int waitingTicks;
    private final int warmupTicks;
    private final int activeTicks;
    private final int endingTicks;
    private final int scoreboardTicks;
    private final TickResult result;

    private Phase phase = Phase.WAITING;
    private int ticks;

    PhaseClock(MatchSettings settings, TickResult result) {
        this.waitingTicks = settings.secondsToTicks(settings.flow().waitingSeconds());
        this.warmupTicks = settings.secondsToTicks(settings.flow().warmupSeconds());
        this.activeTicks = settings.secondsToTicks(settings.flow().timeLimitSeconds());
        this.endingTicks = settings.ticks(settings.flow().endingMillis());
        this.scoreboardTicks = settings.secondsToTicks(settings.flow().scoreboardSeconds());
        this.result = result;
    }

    Phase phase() {
        return phase;
    }

    /** Ticks spent in the current phase, this tick included once {@link #advance()} ran. */
    int ticks() {
        return ticks;
    }

    /** Back to the start of waiting, without an event (a fresh match announces nothing). */
    void reset() {
        phase = Phase.WAITING;
        ticks = 0;
    }

    /** Enters a phase and reports it with its length. */
    void enter(Phase next) {
        phase = next;
        ticks = 0;
        result.add(new MatchEvent.PhaseChange(next, length(next)));
    }

    void advance() {
        ticks++;
    }

    /** True once the current phase has lasted its length. */
    boolean over() {
        return ticks >= length(phase);
    }

    /** True when the coming tick is the current phase's last. */
    boolean lastTickNext() {
        return ticks + 1 >= length(phase);
    }

    int ticksLeft() {
        return Math.max(0, length(phase) - ticks);
    }

    int length(Phase p) {
        return switch (p) {
            case WAITING -> waitingTicks;
            case WARMUP -> warmupTicks;
            case ACTIVE -> activeTicks;
            case ENDING -> endingTicks;
            case SCOREBOARD -> scoreboardTicks;
            case CLOSED -> 0;
        };
    }
}
