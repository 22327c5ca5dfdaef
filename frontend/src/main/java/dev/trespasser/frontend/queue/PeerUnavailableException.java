package dev.trespasser.frontend.queue;

/** om-core or Redis did not answer (after retries where retrying is safe); the caller gets UNAVAILABLE. */
public final class PeerUnavailableException extends RuntimeException {

    private final String peer;

    public PeerUnavailableException(String peer, String message, Throwable cause) {
        super(peer + " unavailable: " + message, cause);
        this.peer = peer;
    }

    public String peer() {
        return peer;
    }
}
