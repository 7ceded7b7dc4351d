package org.steno.identity;

/**
 * A database operation failed. Unchecked because callers (HTTP handlers, the access check)
 * cannot recover from it locally; the message is one sentence saying what was being done.
 */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
