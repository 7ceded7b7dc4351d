package org.steno.archive;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.archive.bucket.IndexSync;
import org.steno.archive.bucket.TranscriptBucket;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.query.SearchQuery;
import org.steno.archive.search.ArchiveSearcher;
import org.steno.archive.search.SearchResult;
import org.steno.archive.search.SearchScope;
import org.steno.archive.search.SortOrder;

/**
 * The archive's search, as the server uses it: the index in {@code <data.dir>/index}, kept in
 * line with the bucket by a watcher that compares the bucket's transcripts with what the index
 * holds every {@link #POLL_MILLIS} ms, and the search over it.
 *
 * <p>Why watch the bucket rather than hook the pipeline's write: the bucket is the one place
 * every transcript ends up, whoever wrote it (the embedded pipeline, a job on a Flink cluster,
 * a tool), and the index remembers which version of each object it holds, so a transcript
 * stored while this process was down is found by the first sync after it starts. A hook would
 * see only the writes of this process's own pipeline.
 */
public final class Archive implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Archive.class);
    /** A new or replaced transcript is searchable within one poll plus one sync (≈ 1–2 s here). */
    public static final long POLL_MILLIS = 1000;

    private final ArchiveIndex index;
    private final IndexSync sync;
    private final ArchiveSearcher searcher;
    private ScheduledExecutorService watcher;
    private volatile String lastProblem;
    private volatile boolean synced;

    private Archive(ArchiveIndex index, IndexSync sync) {
        this.index = index;
        this.sync = sync;
        this.searcher = new ArchiveSearcher(index);
    }

    /** Opens (or creates) the index; {@link ArchiveIndex.IndexInUseException} when another process has it. */
    public static Archive open(Path indexDir, TranscriptBucket bucket) throws IOException {
        ArchiveIndex index = ArchiveIndex.open(indexDir);
        try {
            return new Archive(index, new IndexSync(bucket, index));
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** Starts the watcher: a sync at once, then one every {@link #POLL_MILLIS} ms after the last ended. */
    public synchronized void watch() {
        if (watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "archive-index-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::syncQuietly, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void syncQuietly() {
        try {
            IndexSync.Outcome o;
            synchronized (sync) {
                o = sync.sync();
            }
            if (o.changed()) {
                LOG.info("search index: {} transcript(s) indexed, {} removed ({} in the bucket)", o.indexed(), o.removed(), o.transcripts());
            }
            if (lastProblem != null) {
                LOG.info("search index: the bucket answers again");
            }
            lastProblem = null;
            synced = true;
        } catch (IOException | RuntimeException e) {
            // Never let the watcher die: the next poll tries again. Said once, not every 2 s.
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                LOG.warn("search index: cannot sync with the bucket, retrying every {} ms: {}", POLL_MILLIS, problem);
            }
            lastProblem = problem;
        }
    }

    /** Empties the index and rebuilds it from the bucket (what {@code steno archive reindex} runs). */
    public IndexSync.Outcome rebuild() throws IOException {
        synchronized (sync) {
            return sync.rebuild();
        }
    }

    public SearchResult search(SearchQuery q, SearchScope scope, SortOrder sort, int page, int pageSize) throws IOException {
        return searcher.search(q, scope, sort, page, pageSize);
    }

    /** Every meeting the query finds within the scope, newest first; a BadQueryException past {@code max}. */
    public List<String> meetingsMatching(SearchQuery q, SearchScope scope, int max) throws IOException {
        return searcher.meetingsMatching(q, scope, max);
    }

    /** Null while fine; else why the index may be behind the bucket. */
    public String problem() {
        return lastProblem != null ? lastProblem : synced || watcher == null ? null : "not synced with the bucket yet";
    }

    public int segmentCount() {
        return index.segmentCount();
    }

    @Override
    public void close() throws IOException {
        ScheduledExecutorService w;
        synchronized (this) {
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.shutdownNow();
            try {
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        index.close();
    }
}
