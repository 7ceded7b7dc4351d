package org.steno.archive.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The Lucene index under {@code <data.dir>/index}: derived data, rebuilt from the bucket at
 * will. One writer per directory (Lucene's write lock), so a second process gets an
 * {@link IndexInUseException} rather than a corrupt index. Writes become visible to searches
 * at {@link #commit()}.
 */
public final class ArchiveIndex implements Closeable {

    /** What the documents hold, kept in each commit: an index of another schema is rebuilt. 2: word pairs. */
    static final String SCHEMA = "2";
    static final String SCHEMA_KEY = "steno.index.schema";

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private ArchiveIndex(Directory directory, IndexWriter writer) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
    }

    /** Thrown when another process (a running {@code steno up}) holds the index. */
    public static final class IndexInUseException extends IOException {
        IndexInUseException(Path dir, Throwable cause) {
            super("the search index in " + dir + " is in use by another Steno process; stop it first", cause);
        }
    }

    public static ArchiveIndex open(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        Directory d = FSDirectory.open(dir);
        try {
            IndexWriterConfig c = new IndexWriterConfig(ArchiveAnalyzers.perField());
            c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            String found = org.apache.lucene.index.DirectoryReader.indexExists(d)
                    ? org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData().get(SCHEMA_KEY) : SCHEMA;
            IndexWriter w = new IndexWriter(d, c);
            try {
                w.setLiveCommitData(Map.of(SCHEMA_KEY, SCHEMA).entrySet());
                if (!SCHEMA.equals(found)) {
                    // Made by an earlier Steno, without what searches now need (word pairs): emptied, so
                    // the bucket watcher indexes every transcript again (the index is derived from the bucket).
                    org.slf4j.LoggerFactory.getLogger(ArchiveIndex.class).info(
                            "search index in {} has schema {}, this Steno writes {}: rebuilding it from the bucket", dir, found, SCHEMA);
                    w.deleteAll();
                    w.commit();
                }
                return new ArchiveIndex(d, w);
            } catch (IOException | RuntimeException e) {
                w.close();
                throw e;
            }
        } catch (LockObtainFailedException e) {
            d.close();
            throw new IndexInUseException(dir, e);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The stored object every indexed transcript came from: S3 key → ETag, as of the last commit. */
    public Map<String, String> versions() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            TermQuery q = new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE));
            int n = Math.max(1, s.count(q));
            TopDocs top = s.search(q, n);
            StoredFields stored = s.storedFields();
            Map<String, String> out = new HashMap<>();
            for (ScoreDoc sd : top.scoreDocs) {
                Document d = stored.document(sd.doc, Set.of(Fields.SOURCE_KEY, Fields.SOURCE_ETAG));
                out.put(d.get(Fields.SOURCE_KEY), d.get(Fields.SOURCE_ETAG));
            }
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /** Puts a transcript's documents in place of whatever came from the same key before (atomically). */
    public void replace(String sourceKey, List<Document> docs) throws IOException {
        writer.updateDocuments(new Term(Fields.SOURCE_KEY, sourceKey), docs);
    }

    public void remove(String sourceKey) throws IOException {
        writer.deleteDocuments(new Term(Fields.SOURCE_KEY, sourceKey));
    }

    public void removeAll() throws IOException {
        writer.deleteAll();
    }

    /** Makes the changes durable and visible to searches. */
    public void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** Runs {@code work} on a current searcher, released afterwards. */
    public <T> T withSearcher(SearcherWork<T> work) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            return work.apply(s);
        } finally {
            searchers.release(s);
        }
    }

    @FunctionalInterface
    public interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** How many segments are searchable. */
    public int segmentCount() {
        try {
            return withSearcher(s -> s.count(new TermQuery(new Term(Fields.KIND, Fields.KIND_SEGMENT))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
        } finally {
            try {
                writer.close();
            } finally {
                directory.close();
            }
        }
    }
}
