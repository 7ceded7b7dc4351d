package org.steno.recorder.store;

import java.io.IOException;

/** The spool disk has less free space than the recorder needs to keep writing. */
public final class DiskFullException extends IOException {

    public DiskFullException(String message) {
        super(message);
    }
}
