package org.steno.pipeline.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.steno.pipeline.speech.MeetingMeta;
import org.steno.pipeline.speech.Recognition;
import org.steno.pipeline.speech.Word;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.transcript.v1.TranscriptPart;

class TranscriptAssemblerTest {

    static final MeetingMeta META = new MeetingMeta("Weekly", 1_700_000_000_000L, "en-US", "");

    static Recognition result(long seg, int ordinal, int engineRevision, boolean fin, String text, long start, long end) {
        String[] ws = text.isEmpty() ? new String[0] : text.split(" ");
        Word[] words = new Word[ws.length];
        for (int i = 0; i < ws.length; i++) {
            words[i] = new Word(ws[i], start + i * 400L, start + (i + 1) * 400L, 0.8f);
        }
        return new Recognition(Recognition.Kind.RESULT, "m1", "live-0", "t1", "p1", "guest:p1", "Alice Martin", "en-US",
                seg, ordinal, engineRevision, fin, fin ? 1f : 0.5f, text, words, start, end, false, new String[0], META, 0);
    }

    static Recognition closed(Recognition.Kind kind, long seg) {
        return new Recognition(kind, "m1", "live-0", "t1", "p1", "guest:p1", "Alice Martin", "en-US", seg, 0, 0, true, 1f,
                "", new Word[0], seg, seg, kind == Recognition.Kind.TRACK_CLOSED, new String[]{"t1"}, META, 0);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Recognition, byte[]> harness() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TranscriptAssembler(), Recognition::key, Types.STRING);
        return h;
    }

    static List<CaptionEvent> captions(KeyedOneInputStreamOperatorTestHarness<String, Recognition, byte[]> h) {
        return h.extractOutputValues().stream().map(b -> {
            try {
                return CaptionEvent.parseFrom(b);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void interimsAndFinalShareAStableIdWithGrowingRevisionsAndTheSpeakerName() throws Exception {
        var h = harness();
        h.processElement(result(5000, 0, 0, false, "hello", 5000, 5400), 0);
        h.processElement(result(5000, 0, 1, false, "hello there", 5000, 5800), 0);
        // A reconnected recogniser restarts its own numbering; ours keeps growing.
        h.processElement(result(5000, 0, 0, true, "hello there friend", 5000, 6200), 0);
        List<CaptionEvent> c = captions(h);
        assertThat(c).extracting(CaptionEvent::getSegmentId).containsOnly("t1/5000-0");
        assertThat(c).extracting(CaptionEvent::getRevision).containsExactly(0, 1, 2);
        assertThat(c).extracting(CaptionEvent::getKind).containsExactly(CaptionKind.CAPTION_KIND_INTERIM,
                CaptionKind.CAPTION_KIND_INTERIM, CaptionKind.CAPTION_KIND_FINAL);
        assertThat(c.get(2).getSpeakerDisplayName()).isEqualTo("Alice Martin");
        assertThat(c.get(2).getWordsCount()).isEqualTo(3);
        assertThat(Durations.toMillis(c.get(2).getMediaStart())).isEqualTo(5000);
        assertThat(c.get(2).hasProducedTime()).isTrue();
        h.close();
    }

    @Test
    void confirmedSegmentBecomesOnePartAndAReplayedFinalIsNotDuplicated() throws Exception {
        var h = harness();
        h.processElement(result(5000, 0, 3, true, "first words", 5000, 5800), 0);
        h.processElement(result(5000, 1, 2, true, "second words", 6000, 6800), 0);
        // the same finals again, as after a reconnect that re-sent the segment
        h.processElement(result(5000, 0, 1, true, "first words", 5000, 5800), 0);
        h.processElement(result(5000, 1, 1, true, "second words", 6000, 6800), 0);
        h.processElement(closed(Recognition.Kind.SEGMENT_CLOSED, 5000), 0);
        List<TranscriptItem> items = h.getSideOutput(TranscriptAssembler.TRANSCRIPT).stream().map(StreamRecord::getValue).toList();
        assertThat(items).hasSize(1);
        TranscriptItem item = items.get(0);
        assertThat(item.kind()).isEqualTo(TranscriptItem.Kind.PART);
        assertThat(item.startMs()).isEqualTo(5000);
        TranscriptPart part = TranscriptPart.parseFrom(item.part());
        assertThat(part.getSegmentsList()).extracting(s -> s.getText()).containsExactly("first words", "second words");
        assertThat(part.getSegmentsList()).extracting(s -> s.getSegmentId()).containsExactly("t1-5000", "t1-6000");
        assertThat(part.getSpeakers(0).getDisplayName()).isEqualTo("Alice Martin");
        assertThat(Durations.toMillis(part.getMediaEnd())).isEqualTo(6800);
        h.close();
    }

    @Test
    void emptyInterimsAreSkippedAndAnEmptyFinalRetractsWhatWasShown() throws Exception {
        var h = harness();
        h.processElement(result(0, 0, 0, false, "", 0, 100), 0);
        h.processElement(result(0, 0, 1, false, "um", 0, 300), 0);
        h.processElement(result(0, 0, 2, true, "", 0, 400), 0);
        assertThat(captions(h)).extracting(CaptionEvent::getKind)
                .containsExactly(CaptionKind.CAPTION_KIND_INTERIM, CaptionKind.CAPTION_KIND_RETRACTED);
        h.close();
    }

    @Test
    void trackCloseFlushesUnconfirmedFinalsThenAnnouncesTheClose() throws Exception {
        var h = harness();
        h.processElement(result(9000, 0, 0, true, "last words", 9000, 9800), 0);
        h.processElement(closed(Recognition.Kind.TRACK_CLOSED, 9800), 0);
        List<TranscriptItem> items = h.getSideOutput(TranscriptAssembler.TRANSCRIPT).stream().map(StreamRecord::getValue).toList();
        assertThat(items).extracting(TranscriptItem::kind).containsExactly(TranscriptItem.Kind.PART, TranscriptItem.Kind.TRACK_CLOSED);
        assertThat(items.get(1).meetingEnd()).isTrue();
        assertThat(items.get(1).meetingTracks()).containsExactly("t1");
        h.close();
    }
}
