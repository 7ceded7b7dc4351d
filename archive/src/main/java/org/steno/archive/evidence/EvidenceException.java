package org.steno.archive.evidence;

/**
 * An export that cannot be complete: a file its manifest names is missing, a file is not what
 * the bucket said it was (length, checksum), a stored document is unreadable. The message is one
 * sentence for the person asking, naming the file.
 */
public final class EvidenceException extends RuntimeException {

    public EvidenceException(String message) {
        super(message);
    }

    public EvidenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
