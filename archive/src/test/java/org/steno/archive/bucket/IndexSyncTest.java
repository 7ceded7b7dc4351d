package org.steno.archive.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.archive.Transcripts;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.query.SearchQueryParser;
import org.steno.archive.search.ArchiveSearcher;
import org.steno.archive.search.SearchResult;
import org.steno.archive.search.SearchScope;
import org.steno.archive.search.SortOrder;
import org.steno.proto.transcript.v1.Transcript;

/** The index follows the bucket: new, replaced, removed and broken transcripts, restarts and rebuilds. */
class IndexSyncTest {

    @TempDir
    Path s3Dir;
    @TempDir
    Path indexDir;
    TestBucket bucket;

    static final String KEY = "meetings/m1/transcripts/live-0/transcript.json";

    @BeforeEach
    void start() throws Exception {
        bucket = new TestBucket(s3Dir);
    }

    @AfterEach
    void stop() throws Exception {
        bucket.close();
    }

    static String json(Transcript t) throws Exception {
        return JsonFormat.printer().print(t);
    }

    static Transcript transcript(String meeting, String... lines) {
        return Transcripts.of(meeting, "T", "fr-FR", Instant.parse("2026-12-01T10:00:00Z"), lines);
    }

    static long hits(ArchiveIndex index, String q) throws Exception {
        return new ArchiveSearcher(index).search(SearchQueryParser.parse(q), SearchScope.all(), SortOrder.RELEVANCE, 1, 10).totalHits();
    }

    @Test
    void newReplacedAndRemovedTranscriptsFollowTheBucket() throws Exception {
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            IndexSync sync = new IndexSync(bucket.transcripts(), index);
            bucket.put(KEY, json(transcript("m1", "Alice|1|Le budget est voté.")));
            // What is not a finished transcript is never read.
            bucket.put("meetings/m1/transcripts/live-0/parts/t/0.json", json(transcript("m1", "Alice|1|partie secrète")));
            bucket.put("meetings/m1/recordings/r1/manifest.json", "{}");
            IndexSync.Outcome first = sync.sync();
            assertThat(first.indexed()).isEqualTo(1);
            assertThat(first.transcripts()).isEqualTo(1);
            assertThat(hits(index, "budget")).isEqualTo(1);
            assertThat(hits(index, "secrète")).isZero();

            assertThat(sync.sync().changed()).as("nothing new: nothing read").isFalse();

            bucket.put(KEY, json(transcript("m1", "Alice|1|Les dépenses sont votées.")));
            assertThat(sync.sync().indexed()).isEqualTo(1);
            assertThat(hits(index, "budget")).isZero();
            assertThat(hits(index, "dépense")).isEqualTo(1);

            bucket.delete(KEY);
            assertThat(sync.sync().removed()).isEqualTo(1);
            assertThat(hits(index, "dépense")).isZero();
        }
    }

    @Test
    void anUnreadableTranscriptIsSkippedOnceAndTheOthersAreIndexed() throws Exception {
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            IndexSync sync = new IndexSync(bucket.transcripts(), index);
            bucket.put("meetings/bad/transcripts/live-0/transcript.json", "{ this is not json");
            bucket.put("meetings/odd/transcripts/live-0/transcript.json", "{\"segments\": 12}");
            bucket.put(KEY, json(transcript("m1", "Alice|1|Le budget est voté.")));
            IndexSync.Outcome o = sync.sync();
            assertThat(o.indexed()).isEqualTo(1);
            assertThat(o.unreadable()).isEqualTo(2);
            assertThat(sync.sync().unreadable()).as("not read again until it changes").isZero();
            bucket.put("meetings/bad/transcripts/live-0/transcript.json", json(transcript("bad", "Bob|2|Réparé, le budget.")));
            assertThat(sync.sync().indexed()).isEqualTo(1);
            assertThat(hits(index, "budget")).isEqualTo(2);
        }
    }

    @Test
    void aRestartReadsOnlyWhatChangedMeanwhile() throws Exception {
        bucket.put(KEY, json(transcript("m1", "Alice|1|Le budget est voté.")));
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            assertThat(new IndexSync(bucket.transcripts(), index).sync().indexed()).isEqualTo(1);
        }
        // Stored while no process watched.
        bucket.put("meetings/m2/transcripts/live-0/transcript.json", json(transcript("m2", "Bob|1|Un autre budget.")));
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            IndexSync.Outcome o = new IndexSync(bucket.transcripts(), index).sync();
            assertThat(o.indexed()).as("only the new one").isEqualTo(1);
            assertThat(hits(index, "budget")).isEqualTo(2);
        }
    }

    @Test
    void aRebuildFromTheBucketGivesTheSameResults() throws Exception {
        bucket.put(KEY, json(transcript("m1", "Alice|1|Le budget est voté.", "Bob|4|La réunion est close.")));
        bucket.put("meetings/m2/transcripts/live-0/transcript.json", json(transcript("m2", "Bob|1|Un autre budget, une réunion.")));
        SearchResult before;
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            new IndexSync(bucket.transcripts(), index).sync();
            before = new ArchiveSearcher(index).search(SearchQueryParser.parse("budget réunion"), SearchScope.all(), SortOrder.DATE, 1, 10);
        }
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            IndexSync.Outcome o = new IndexSync(bucket.transcripts(), index).rebuild();
            assertThat(o.indexed()).isEqualTo(2);
            SearchResult after = new ArchiveSearcher(index).search(SearchQueryParser.parse("budget réunion"), SearchScope.all(), SortOrder.DATE, 1, 10);
            assertThat(after.totalHits()).isEqualTo(before.totalHits()).isEqualTo(1);
            assertThat(after.meetings()).extracting(SearchResult.MeetingHits::meetingId)
                    .isEqualTo(before.meetings().stream().map(SearchResult.MeetingHits::meetingId).toList());
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameIndex() throws Exception {
        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArchiveIndex.open(indexDir))
                    .isInstanceOf(ArchiveIndex.IndexInUseException.class).hasMessageContaining("stop it first");
        }
    }
}
