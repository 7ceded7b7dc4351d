package org.steno.recorder.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The few object-storage calls the recorder makes. {@link S3ObjectStore} is the real one;
 * every failure is an {@link IOException} so callers retry uniformly.
 */
public interface ObjectStore {

    void put(String key, Path file) throws IOException;

    void put(String key, byte[] content) throws IOException;

    /** The object's bytes, or null when it does not exist. */
    byte[] get(String key) throws IOException;

    /** Every key under the prefix, sorted. */
    List<String> list(String prefix) throws IOException;

    /** Every key under the prefix with its last-modified time. */
    java.util.Map<String, java.time.Instant> listModified(String prefix) throws IOException;

    void delete(String key) throws IOException;
}
