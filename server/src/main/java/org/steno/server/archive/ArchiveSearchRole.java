package org.steno.server.archive;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.steno.archive.Archive;
import org.steno.archive.bucket.TranscriptBucket;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.storage.S3Storage;

/**
 * The archive module's search in a serving process: opens the index under
 * {@code <data.dir>/index} and lets it watch the bucket. Started after storage.
 */
public final class ArchiveSearchRole implements Component {

    private final Path indexDir;
    private final Supplier<S3Storage> storage;
    private volatile Archive archive;

    public ArchiveSearchRole(Path indexDir, Supplier<S3Storage> storage) {
        this.indexDir = indexDir;
        this.storage = storage;
    }

    @Override
    public String name() {
        return "archive-index";
    }

    @Override
    public void start() throws Exception {
        try {
            archive = Archive.open(indexDir, bucket(storage));
        } catch (org.steno.archive.index.ArchiveIndex.IndexInUseException e) {
            throw new StartupException("data.dir (STENO_DATA_DIR): " + e.getMessage()
                    + " (is 'steno archive reindex' or another 'steno up' running on it?)", e);
        }
        archive.watch();
    }

    /** The stored transcripts as the archive module reads them, through the process's one S3 client. */
    static TranscriptBucket bucket(Supplier<S3Storage> storage) {
        return new TranscriptBucket(() -> storage.get().client(), () -> storage.get().target().bucket());
    }

    /** The running search; IllegalStateException before start. */
    public Archive archive() {
        Archive a = archive;
        if (a == null) {
            throw new IllegalStateException("the archive index is not open");
        }
        return a;
    }

    @Override
    public void stop() {
        Archive a = archive;
        archive = null;
        if (a != null) {
            try {
                a.close();
            } catch (java.io.IOException e) {
                org.slf4j.LoggerFactory.getLogger(ArchiveSearchRole.class).warn("closing the search index: {}", e.getMessage());
            }
        }
    }

    @Override
    public Readiness readiness() {
        Archive a = archive;
        if (a == null) {
            return Readiness.notReady("not started");
        }
        String problem = a.problem();
        // Searches still answer from what is indexed while the bucket is away: ready, with a note.
        // Anyone may read /readyz: it says whether the index follows the bucket, not what it holds.
        return problem == null ? Readiness.ready("search index open, following the bucket")
                : Readiness.ready("searching what is indexed; the bucket cannot be read just now");
    }
}
