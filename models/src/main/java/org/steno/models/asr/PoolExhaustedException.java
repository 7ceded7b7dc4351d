package org.steno.models.asr;

/** Every decoder is busy and too many callers already wait: the caller should retry later. */
public final class PoolExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PoolExhaustedException(String message) {
        super(message);
    }
}
