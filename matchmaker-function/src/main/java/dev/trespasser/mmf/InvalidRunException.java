package dev.trespasser.mmf;

/** A Run request that cannot be processed; becomes INVALID_ARGUMENT with this message. */
final class InvalidRunException extends Exception {

    InvalidRunException(String message) {
        super(message);
    }
}
