package org.steno.archive.index;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;

/**
 * A stored transcript as index documents: one per segment that has text, and one source
 * document naming the object they came from. Every document carries the source key, so a
 * newer version of the same object replaces all of them at once.
 */
public final class TranscriptDocuments {

    private TranscriptDocuments() {
    }

    /** The instant a transcript is dated by: its meeting's start, else when it was written, else 0. */
    public static long dateMillis(Transcript t) {
        if (t.hasMeetingStartTime() && t.getMeetingStartTime().getSeconds() > 0) {
            return millis(t.getMeetingStartTime());
        }
        return t.hasCreateTime() ? millis(t.getCreateTime()) : 0L;
    }

    public static String month(long epochMillis) {
        return YearMonth.from(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC)).toString();
    }

    /**
     * @param meetingId    the meeting the object is stored under (trusted over the file's own field)
     * @param transcriptId likewise
     */
    public static List<Document> of(String sourceKey, String etag, String meetingId, String transcriptId, Transcript t) {
        long date = dateMillis(t);
        String month = month(date);
        Map<String, Speaker> speakers = new HashMap<>();
        for (Speaker s : t.getSpeakersList()) {
            speakers.put(s.getSpeakerId(), s);
        }
        List<Document> docs = new ArrayList<>();
        int n = 0;
        for (Segment seg : t.getSegmentsList()) {
            if (seg.getText().isBlank()) {
                continue;
            }
            Speaker sp = speakers.getOrDefault(seg.getSpeakerId(), Speaker.getDefaultInstance());
            String name = sp.getDisplayName().isBlank() ? seg.getSpeakerId() : sp.getDisplayName();
            String language = Fields.primaryLanguage(seg.getLanguageCode().isBlank() ? t.getLanguageCode() : seg.getLanguageCode());
            Document d = common(sourceKey, meetingId, transcriptId, date);
            d.add(new StringField(Fields.KIND, Fields.KIND_SEGMENT, Field.Store.NO));
            d.add(new StringField(Fields.SEGMENT, seg.getSegmentId().isBlank() ? "s" + n : seg.getSegmentId(), Field.Store.YES));
            d.add(new TextField(Fields.TITLE, t.getTitle(), Field.Store.YES));
            d.add(new TextField(Fields.SPEAKER, name, Field.Store.NO));
            d.add(new StoredField(Fields.SPEAKER_NAME, name));
            d.add(new SortedDocValuesField(Fields.SPEAKER_NAME, new BytesRef(name)));
            d.add(new StringField(Fields.SPEAKER_IDENTITY, sp.getIdentity(), Field.Store.NO));
            long start = millis(seg.getMediaStart());
            d.add(new StoredField(Fields.START_MS, start));
            d.add(new NumericDocValuesField(Fields.START_MS, start));
            d.add(new StoredField(Fields.END_MS, millis(seg.getMediaEnd())));
            d.add(new StringField(Fields.LANGUAGE, language, Field.Store.YES));
            d.add(new SortedDocValuesField(Fields.MONTH, new BytesRef(month)));
            d.add(new TextField(Fields.textField(language), seg.getText(), Field.Store.YES));
            d.add(new TextField(Fields.pairsOf(Fields.textField(language)), seg.getText(), Field.Store.NO));
            docs.add(d);
            n++;
        }
        Document source = common(sourceKey, meetingId, transcriptId, date);
        source.add(new StringField(Fields.KIND, Fields.KIND_SOURCE, Field.Store.NO));
        source.add(new StoredField(Fields.SOURCE_ETAG, etag));
        docs.add(source);
        return docs;
    }

    private static Document common(String sourceKey, String meetingId, String transcriptId, long date) {
        Document d = new Document();
        d.add(new StringField(Fields.SOURCE_KEY, sourceKey, Field.Store.YES));
        d.add(new StringField(Fields.MEETING, meetingId, Field.Store.YES));
        d.add(new SortedDocValuesField(Fields.MEETING, new BytesRef(meetingId)));
        d.add(new StringField(Fields.TRANSCRIPT, transcriptId, Field.Store.YES));
        d.add(new LongPoint(Fields.DATE, date));
        d.add(new NumericDocValuesField(Fields.DATE, date));
        d.add(new StoredField(Fields.DATE, date));
        return d;
    }

    static long millis(Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }

    static long millis(Timestamp t) {
        return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    }
}
