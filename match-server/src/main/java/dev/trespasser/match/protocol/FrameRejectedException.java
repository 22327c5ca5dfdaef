package dev.trespasser.match.protocol;

import dev.trespasser.proto.game.v1.ErrorReason;

/**
 * A client frame the server will not accept, with the reason the connection is closed for. The
 * only exception the decoder lets out.
 */
public final class FrameRejectedException extends Exception {

    private final ErrorReason reason;

    public FrameRejectedException(ErrorReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ErrorReason reason() {
        return reason;
    }
}
