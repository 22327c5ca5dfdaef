package dev.trespasser.mmf.matching;

/** A ticket the matcher refused to consider, and why. */
public record RejectedTicket(QueuedTicket ticket, Reason reason) {

    public enum Reason {
        /** More players than one team of the ticket's mode holds: it can never be matched. */
        PARTY_TOO_LARGE,
        /** The same ticket id appeared earlier in the input; only the first copy is considered. */
        DUPLICATE_TICKET
    }
}
