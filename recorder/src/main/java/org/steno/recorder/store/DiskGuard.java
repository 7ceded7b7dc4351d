package org.steno.recorder.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free space on the spool disk, checked before every new segment and by readiness. */
public final class DiskGuard {

    private final Path dir;
    private final long minFreeBytes;
    private final java.util.function.LongSupplier probe;

    public DiskGuard(Path dir, long minFreeBytes) {
        this(dir, minFreeBytes, null);
    }

    /** With a probe of free bytes other than the file system's (tests simulate a full disk with it). */
    public DiskGuard(Path dir, long minFreeBytes, java.util.function.LongSupplier probe) {
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
        this.probe = probe;
    }

    public long freeBytes() {
        if (probe != null) {
            return probe.getAsLong();
        }
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    public boolean enoughSpace() {
        return freeBytes() >= minFreeBytes;
    }

    /** Throws with a sentence for the host when the disk is (nearly) full. */
    public void check() throws DiskFullException {
        long free = freeBytes();
        if (free < minFreeBytes) {
            throw new DiskFullException(message(free));
        }
    }

    public String message(long free) {
        return "the recorder's disk is full: " + (free < 0 ? "unknown" : free / (1024 * 1024)) + " MB free in "
                + dir + ", at least " + minFreeBytes / (1024 * 1024) + " MB needed";
    }

    public String describe() {
        return freeBytes() / (1024 * 1024) + " MB free in " + dir;
    }

    public Path dir() {
        return dir;
    }
}
