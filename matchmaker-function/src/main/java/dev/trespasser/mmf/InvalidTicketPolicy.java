package dev.trespasser.mmf;

import dev.trespasser.proto.TicketAttributes;

/** What a Run does with a ticket that breaks the {@link TicketAttributes} contract. */
public enum InvalidTicketPolicy {
    /** Fail the whole Run with INVALID_ARGUMENT, emitting no match. */
    REJECT_RUN,
    /** Leave the ticket out, match the others, count and log it. */
    SKIP_TICKET
}
