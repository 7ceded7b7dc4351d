package org.steno.archive.query;

/** A query a person typed that cannot be searched; the message says what to change, in one sentence. */
public final class BadQueryException extends IllegalArgumentException {

    public BadQueryException(String sentence) {
        super(sentence);
    }
}
