package org.steno.archive.bucket;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.index.TranscriptDocuments;
import org.steno.proto.transcript.v1.Transcript;

/**
 * Brings the index in line with the bucket: a transcript whose ETag the index does not have is
 * read and (re)indexed, one the bucket no longer has is removed. The index keeps each
 * transcript's key and ETag in its own committed documents, so after a restart (or a crash
 * between a write and its commit) the first sync finds exactly what is missing; nothing else
 * needs to survive. Not thread-safe: one sync at a time (the watcher's thread, or the reindex
 * command).
 */
public final class IndexSync {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSync.class);

    private final TranscriptBucket bucket;
    private final ArchiveIndex index;
    /** What the index holds: key → ETag. */
    private final Map<String, String> indexed;
    /** Versions that could not be read as a Transcript: not retried until they change. */
    private final Map<String, String> unreadable = new HashMap<>();

    public IndexSync(TranscriptBucket bucket, ArchiveIndex index) throws IOException {
        this.bucket = bucket;
        this.index = index;
        this.indexed = new HashMap<>(index.versions());
    }

    /** What one sync did. */
    public record Outcome(int indexed, int removed, int unreadable, int transcripts) {
        public boolean changed() {
            return indexed > 0 || removed > 0;
        }
    }

    public Outcome sync() throws IOException {
        Map<String, String> stored = bucket.list();
        int added = 0;
        int bad = 0;
        for (Map.Entry<String, String> e : stored.entrySet()) {
            String key = e.getKey();
            String etag = e.getValue();
            if (etag.equals(indexed.get(key)) || etag.equals(unreadable.get(key))) {
                continue;
            }
            TranscriptBucket.Location at = TranscriptBucket.locate(key);
            String json = bucket.read(key); // storage trouble propagates: the next sync tries again
            Transcript t;
            try {
                Transcript.Builder b = Transcript.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(json, b);
                t = b.build();
            } catch (InvalidProtocolBufferException ex) {
                LOG.warn("{} is not a readable Transcript and is left out of the search index: {}", key, ex.getMessage());
                unreadable.put(key, etag);
                bad++;
                continue;
            }
            index.replace(key, TranscriptDocuments.of(key, etag, at.meetingId(), at.transcriptId(), t));
            indexed.put(key, etag);
            added++;
        }
        int removed = 0;
        for (String key : new java.util.ArrayList<>(indexed.keySet())) {
            if (!stored.containsKey(key)) {
                index.remove(key);
                indexed.remove(key);
                removed++;
            }
        }
        unreadable.keySet().retainAll(stored.keySet());
        if (added > 0 || removed > 0) {
            index.commit();
        }
        return new Outcome(added, removed, bad, stored.size());
    }

    /** Empties the index and indexes every stored transcript again. */
    public Outcome rebuild() throws IOException {
        index.removeAll();
        index.commit();
        indexed.clear();
        unreadable.clear();
        return sync();
    }
}
