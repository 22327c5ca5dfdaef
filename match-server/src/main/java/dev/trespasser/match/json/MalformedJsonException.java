package dev.trespasser.match.json;

/** JSON that {@link StrictJson} refuses: what was wrong and at which character offset. */
public final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public MalformedJsonException(String problem, int offset) {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
