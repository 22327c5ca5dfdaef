package dev.trespasser.mmf;

import dev.trespasser.proto.TicketAttributes;

/** A ticket that breaks the attribute contract of {@link TicketAttributes}. */
final class InvalidTicketException extends Exception {

    private final String ticketId;

    InvalidTicketException(String ticketId, String reason) {
        super("ticket '" + ticketId + "': " + reason);
        this.ticketId = ticketId;
    }

    String ticketId() {
        return ticketId;
    }
}
