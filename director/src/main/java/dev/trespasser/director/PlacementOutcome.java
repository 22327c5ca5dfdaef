package dev.trespasser.director;

import java.util.Locale;

/** What became of one match om-core returned. */
public enum PlacementOutcome {
    /** Allocated, tokens signed, assignments published. */
    PLACED(null),
    /** Some ticket was already claimed by another match: an om-core duplicate. */
    DUPLICATE(null),
    /** The match breaks the MMF contract (rosters, players, mode). */
    INVALID(null),
    /** Redis refused the claim: nothing was allocated. */
    CLAIM_FAILED("redis"),
    NO_CAPACITY("no_capacity"),
    CONTENTION("contention"),
    ALLOCATION_FAILED("error"),
    /** Allocated, but the assignments could not be published; the server waits out its empty match. */
    PUBLISH_FAILED("publish"),
    /** Not attempted: an earlier match of the cycle failed, or the director is stopping. */
    RETURNED(null);

    private final String failureReason;

    PlacementOutcome(String failureReason) {
        this.failureReason = failureReason;
    }

    /** True when the fleet (or Redis) could not take the match: the profile should back off. */
    public boolean failed() {
        return failureReason != null;
    }

    /** The {@code reason} label of {@code trespasser_director_allocation_failures_total}. */
    String failureReason() {
        return failureReason;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
