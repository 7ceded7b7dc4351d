package org.steno.archive.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.archive.Transcripts;

/** The index keeps its schema in each commit; one written by an earlier Steno is rebuilt from the bucket. */
class ArchiveIndexTest {

    @TempDir
    Path dir;

    @Test
    void anIndexOfAnEarlierSchemaIsEmptiedSoTheBucketFillsItAgain() throws Exception {
        // What an earlier Steno left: a segment and its source, no schema in the commit.
        try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
            Document seg = new Document();
            seg.add(new StringField(Fields.KIND, Fields.KIND_SEGMENT, Field.Store.NO));
            Document src = new Document();
            src.add(new StringField(Fields.KIND, Fields.KIND_SOURCE, Field.Store.YES));
            src.add(new StringField(Fields.SOURCE_KEY, "meetings/m/transcripts/live-0/transcript.json", Field.Store.YES));
            src.add(new StringField(Fields.SOURCE_ETAG, "old", Field.Store.YES));
            w.addDocument(seg);
            w.addDocument(src);
            w.commit();
        }
        try (ArchiveIndex index = ArchiveIndex.open(dir)) {
            assertThat(index.segmentCount()).isZero();
            assertThat(index.versions()).as("nothing indexed: the watcher indexes every transcript again").isEmpty();
            String key = "meetings/m/transcripts/live-0/transcript.json";
            index.replace(key, TranscriptDocuments.of(key, "new", "m", "live-0", Transcripts.of("m", "T", "en-US",
                    Instant.parse("2026-12-01T10:00:00Z"), "Ann|1|Hello there.")));
            index.commit();
        }
        try (ArchiveIndex index = ArchiveIndex.open(dir)) {
            assertThat(index.segmentCount()).as("this schema's index is kept as it is").isEqualTo(1);
            assertThat(index.versions()).containsEntry("meetings/m/transcripts/live-0/transcript.json", "new");
        }
    }
}
