package org.steno.pipeline.speech;

/** A recognition session cannot take more audio (stream failed, or flow control never opened). */
final class SessionStuckException extends Exception {

    SessionStuckException(String message) {
        super(message);
    }
}
