package org.steno.pipeline.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.steno.pipeline.speech.MeetingMeta;
import org.steno.pipeline.speech.Recognition;
import org.steno.pipeline.speech.VoiceTurn;
import org.steno.pipeline.speech.VoiceTurns;
import org.steno.pipeline.speech.Word;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.transcript.v1.TranscriptPart;

class TranscriptAssemblerTest {

    static final MeetingMeta META = new MeetingMeta("Weekly", 1_700_000_000_000L, "en-US", "");

    static Recognition result(long seg, int ordinal, int engineRevision, boolean fin, String text, long start, long end) {
        return result(seg, ordinal, engineRevision, fin, text, start, end, false);
    }

    static Recognition result(long seg, int ordinal, int engineRevision, boolean fin, String text, long start, long end,
                              boolean shared) {
        String[] ws = text.isEmpty() ? new String[0] : text.split(" ");
        Word[] words = new Word[ws.length];
        for (int i = 0; i < ws.length; i++) {
            words[i] = new Word(ws[i], start + i * 400L, start + (i + 1) * 400L, 0.8f);
        }
        return new Recognition(Recognition.Kind.RESULT, "m1", "live-0", "t1", "p1", "guest:p1", "Alice Martin", "en-US",
                seg, ordinal, engineRevision, fin, fin ? 1f : 0.5f, text, words, start, end, false, new String[0], META, 0,
                shared);
    }

    static Recognition closed(Recognition.Kind kind, long seg) {
        return closed(kind, seg, false);
    }

    static Recognition closed(Recognition.Kind kind, long seg, boolean shared) {
        return new Recognition(kind, "m1", "live-0", "t1", "p1", "guest:p1", "Alice Martin", "en-US", seg, 0, 0, true, 1f,
                "", new Word[0], seg, seg, kind == Recognition.Kind.TRACK_CLOSED, new String[]{"t1"}, META, 0, shared);
    }

    static VoiceTurns turns(VoiceTurn... t) {
        return new VoiceTurns(VoiceTurns.Kind.TURNS, "m1", "live-0", "t1", t, 0, "");
    }

    static VoiceTurns marker(VoiceTurns.Kind kind, long coveredUpTo) {
        return new VoiceTurns(kind, "m1", "live-0", "t1", new VoiceTurn[0], coveredUpTo, "");
    }

    static VoiceTurn turn(String label, long start, long end) {
        return new VoiceTurn("s1/" + label + "@" + start, "s1/" + label, label, 0, false, start, end);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, Recognition, VoiceTurns, byte[]> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new TranscriptAssembler(15_000), Recognition::key,
                VoiceTurns::key, Types.STRING);
    }

    static List<TranscriptItem> transcript(KeyedTwoInputStreamOperatorTestHarness<String, Recognition, VoiceTurns, byte[]> h) {
        return h.getSideOutput(TranscriptAssembler.TRANSCRIPT) == null ? List.of()
                : h.getSideOutput(TranscriptAssembler.TRANSCRIPT).stream().map(StreamRecord::getValue).toList();
    }

    static List<CaptionEvent> captions(KeyedTwoInputStreamOperatorTestHarness<String, Recognition, VoiceTurns, byte[]> h) {
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
        h.processElement1(result(5000, 0, 0, false, "hello", 5000, 5400), 0);
        h.processElement1(result(5000, 0, 1, false, "hello there", 5000, 5800), 0);
        // A reconnected recogniser restarts its own numbering; ours keeps growing.
        h.processElement1(result(5000, 0, 0, true, "hello there friend", 5000, 6200), 0);
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
        h.processElement1(result(5000, 0, 3, true, "first words", 5000, 5800), 0);
        h.processElement1(result(5000, 1, 2, true, "second words", 6000, 6800), 0);
        // the same finals again, as after a reconnect that re-sent the segment
        h.processElement1(result(5000, 0, 1, true, "first words", 5000, 5800), 0);
        h.processElement1(result(5000, 1, 1, true, "second words", 6000, 6800), 0);
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 5000), 0);
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
        h.processElement1(result(0, 0, 0, false, "", 0, 100), 0);
        h.processElement1(result(0, 0, 1, false, "um", 0, 300), 0);
        h.processElement1(result(0, 0, 2, true, "", 0, 400), 0);
        assertThat(captions(h)).extracting(CaptionEvent::getKind)
                .containsExactly(CaptionKind.CAPTION_KIND_INTERIM, CaptionKind.CAPTION_KIND_RETRACTED);
        h.close();
    }

    @Test
    void trackCloseFlushesUnconfirmedFinalsThenAnnouncesTheClose() throws Exception {
        var h = harness();
        h.processElement1(result(9000, 0, 0, true, "last words", 9000, 9800), 0);
        h.processElement1(closed(Recognition.Kind.TRACK_CLOSED, 9800), 0);
        List<TranscriptItem> items = h.getSideOutput(TranscriptAssembler.TRANSCRIPT).stream().map(StreamRecord::getValue).toList();
        assertThat(items).extracting(TranscriptItem::kind).containsExactly(TranscriptItem.Kind.PART, TranscriptItem.Kind.TRACK_CLOSED);
        assertThat(items.get(1).meetingEnd()).isTrue();
        assertThat(items.get(1).meetingTracks()).containsExactly("t1");
        h.close();
    }

    @Test
    void sharedMicrophoneWordsAreSplitByVoiceOnceTheDiarizerCoversThem() throws Exception {
        var h = harness();
        h.processElement2(turns(turn("spk_0", 5000, 5900), turn("spk_1", 5900, 7000)), 0);
        // words: one 5000–5400, two 5400–5800 (spk_0); three 5800–6200, four 6200–6600 (mostly spk_1)
        h.processElement1(result(5000, 0, 0, false, "one two", 5000, 5800, true), 0);
        h.processElement1(result(5000, 0, 1, true, "one two three four", 5000, 6600, true), 0);
        assertThat(captions(h).get(0).getSpeakerDisplayName()).isEqualTo("Alice Martin (1)");
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 5000, true), 0);
        assertThat(transcript(h)).as("held until the diarizer confirms its turns").isEmpty();
        h.processElement2(marker(VoiceTurns.Kind.COVERED, 6000), 0);
        assertThat(transcript(h)).as("covered only up to 6000, the part ends at 6600").isEmpty();
        h.processElement2(marker(VoiceTurns.Kind.COVERED, 7000), 0);
        List<TranscriptItem> items = transcript(h);
        assertThat(items).hasSize(1);
        TranscriptPart part = TranscriptPart.parseFrom(items.get(0).part());
        assertThat(part.getSegmentsList()).extracting(x -> x.getText()).containsExactly("one two", "three four");
        assertThat(part.getSegmentsList()).extracting(x -> x.getSegmentId()).containsExactly("t1-5000", "t1-5800");
        assertThat(part.getSegmentsList()).extracting(x -> x.getSpeakerId()).containsExactly("spk-t1-v1", "spk-t1-v2");
        assertThat(part.getSpeakersList()).extracting(x -> x.getDisplayName()).containsExactly("Alice Martin (1)", "Alice Martin (2)");
        assertThat(part.getSpeakersList()).allSatisfy(sp -> {
            assertThat(sp.getIsDiarized()).isTrue();
            assertThat(sp.getIdentity()).isEqualTo("guest:p1");
            assertThat(sp.getSourceTrackId()).isEqualTo("t1");
        });
        assertThat(part.getSpeakersList()).extracting(x -> x.getDiarizationLabel()).containsExactly("spk_0", "spk_1");
        h.close();
    }

    @Test
    void aSilentDiarizerHoldsASharedPartOnlyUntilTheWaitRunsOut() throws Exception {
        var h = harness();
        h.setProcessingTime(1000);
        h.processElement1(result(0, 0, 0, true, "nobody knows who", 0, 1200, true), 0);
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 0, true), 0);
        h.setProcessingTime(1000 + 14_000);
        assertThat(transcript(h)).isEmpty();
        h.setProcessingTime(1000 + 15_000);
        List<TranscriptItem> items = transcript(h);
        assertThat(items).hasSize(1);
        TranscriptPart part = TranscriptPart.parseFrom(items.get(0).part());
        assertThat(part.getSpeakersList()).singleElement().satisfies(sp -> {
            assertThat(sp.getDisplayName()).isEqualTo("Alice Martin");
            assertThat(sp.getIsDiarized()).isFalse();
        });
        h.close();
    }

    @Test
    void eachHeldPartWaitsItsOwnFullTime() throws Exception {
        var h = harness();
        h.setProcessingTime(1000);
        h.processElement1(result(0, 0, 0, true, "early part", 0, 800, true), 0);
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 0, true), 0);
        h.setProcessingTime(10_000);
        h.processElement1(result(5000, 0, 0, true, "later part", 5000, 5800, true), 0);
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 5000, true), 0);
        h.setProcessingTime(16_000); // the first part's 15 s are over, not the second's
        assertThat(transcript(h)).extracting(TranscriptItem::startMs).containsExactly(0L);
        h.setProcessingTime(25_000);
        assertThat(transcript(h)).extracting(TranscriptItem::startMs).containsExactly(0L, 5000L);
        h.close();
    }

    @Test
    void aFailedDiarizerReleasesAtOnceAndTheCloseWaitsForTheDiarizationToEnd() throws Exception {
        var h = harness();
        h.processElement2(turns(turn("spk_0", 0, 3000)), 0);
        h.processElement1(result(0, 0, 0, true, "first", 0, 400, true), 0);
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 0, true), 0);
        h.processElement2(marker(VoiceTurns.Kind.UNAVAILABLE, 0), 0);
        assertThat(transcript(h)).extracting(TranscriptItem::kind).containsExactly(TranscriptItem.Kind.PART);
        h.processElement1(result(5000, 0, 0, true, "last", 5000, 5400, true), 0);
        h.processElement1(closed(Recognition.Kind.TRACK_CLOSED, 5400, true), 0);
        assertThat(transcript(h)).as("the close waits for the diarizer's last turns").hasSize(1);
        h.processElement2(turns(turn("spk_1", 4800, 5600)), 0);
        h.processElement2(marker(VoiceTurns.Kind.ENDED, Long.MAX_VALUE), 0);
        List<TranscriptItem> items = transcript(h);
        assertThat(items).extracting(TranscriptItem::kind).containsExactly(TranscriptItem.Kind.PART,
                TranscriptItem.Kind.PART, TranscriptItem.Kind.TRACK_CLOSED);
        assertThat(TranscriptPart.parseFrom(items.get(0).part()).getSpeakers(0).getDisplayName()).isEqualTo("Alice Martin (1)");
        assertThat(TranscriptPart.parseFrom(items.get(1).part()).getSpeakers(0).getDisplayName()).isEqualTo("Alice Martin (2)");
        // Turns that straggle in after the close build no state again.
        h.processElement2(turns(turn("spk_9", 9000, 9500)), 0);
        assertThat(h.numKeyedStateEntries()).isLessThanOrEqualTo(1);
        h.close();
    }

    /** The same record in another caption run of the meeting (captions turned off and on again). */
    static Recognition inRun(Recognition r, String transcriptId) {
        return new Recognition(r.kind(), r.meetingId(), transcriptId, r.trackId(), r.participantId(), r.speakerIdentity(),
                r.speakerName(), r.language(), r.segmentStartMs(), r.ordinal(), r.revision(), r.isFinal(), r.stability(),
                r.text(), r.words(), r.mediaStartMs(), r.mediaEndMs(), r.meetingEnd(), r.meetingTracks(), r.meeting(),
                r.sourceEpochMs(), r.sharedMicrophone());
    }

    static VoiceTurns inRun(VoiceTurns v, String transcriptId) {
        return new VoiceTurns(v.kind(), v.meetingId(), transcriptId, v.trackId(), v.turns(), v.coveredUpToMs(), v.reason());
    }

    @Test
    void speechTheDiarizerMissedIsStoredAtOnceEvenWhenItsPartClosesAfterTheFailure() throws Exception {
        var h = harness();
        h.setProcessingTime(1000);
        // The session broke after speech up to 2.4 s had been sent; the recogniser closes that segment later.
        h.processElement2(marker(VoiceTurns.Kind.UNAVAILABLE, 2400), 0);
        h.processElement1(result(1000, 0, 0, true, "not diarized", 1000, 1800, true), 0);
        h.processElement1(closed(Recognition.Kind.SEGMENT_CLOSED, 1000, true), 0);
        assertThat(transcript(h)).as("stored without waiting out its 15 s").hasSize(1);
        assertThat(TranscriptPart.parseFrom(transcript(h).get(0).part()).getSpeakers(0).getDisplayName())
                .isEqualTo("Alice Martin");
        h.close();
    }

    @Test
    void captionsTurnedOnAgainDiarizeTheSameTrackAgain() throws Exception {
        var h = harness();
        h.processElement2(turns(turn("spk_0", 0, 3000)), 0);
        h.processElement1(result(0, 0, 0, true, "first run", 0, 800, true), 0);
        h.processElement2(marker(VoiceTurns.Kind.ENDED, Long.MAX_VALUE), 0);
        h.processElement1(closed(Recognition.Kind.TRACK_CLOSED, 800, true), 0);
        h.processElement2(turns(turn("spk_7", 900, 950)), 0); // a straggler of the first run: ignored
        assertThat(transcript(h)).extracting(TranscriptItem::kind).containsExactly(TranscriptItem.Kind.PART,
                TranscriptItem.Kind.TRACK_CLOSED);

        // Same meeting, same track id, a new caption run.
        h.processElement2(inRun(turns(turn("spk_0", 60_000, 63_000)), "live-60000"), 0);
        h.processElement1(inRun(result(60_000, 0, 0, true, "second run", 60_000, 60_800, true), "live-60000"), 0);
        assertThat(captions(h).get(captions(h).size() - 1).getSpeakerDisplayName()).isEqualTo("Alice Martin (1)");
        h.processElement2(inRun(marker(VoiceTurns.Kind.COVERED, 63_000), "live-60000"), 0);
        h.processElement1(inRun(closed(Recognition.Kind.SEGMENT_CLOSED, 60_000, true), "live-60000"), 0);
        List<TranscriptItem> items = transcript(h);
        assertThat(items).hasSize(3);
        assertThat(items.get(2).transcriptId()).isEqualTo("live-60000");
        assertThat(TranscriptPart.parseFrom(items.get(2).part()).getSpeakers(0).getDisplayName()).isEqualTo("Alice Martin (1)");
        h.close();
    }
}
