package dev.trespasser.runtime.http;

import java.io.IOException;

/** An HTTP message refused by its reader: what was wrong is the message. */
public final class MalformedHttpException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    public MalformedHttpException(String message) {
        this(message, false);
    }

    private MalformedHttpException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    /** A message refused for its size (a head past its budget, too many headers), not its form. */
    public static MalformedHttpException tooLarge(String message) {
        return new MalformedHttpException(message, true);
    }

    public boolean isTooLarge() {
        return tooLarge;
    }
}
