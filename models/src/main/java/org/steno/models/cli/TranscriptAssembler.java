package org.steno.models.cli;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.RecognizedWord;
import org.steno.proto.transcript.v1.Engine;
import org.steno.proto.transcript.v1.ProcessingInfo;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptStatus;
import org.steno.proto.transcript.v1.Word;

/**
 * Builds the archived {@code Transcript} of one file from recognised utterances and, when
 * diarization ran, speaker turns: every word goes to the speaker whose turn overlaps it most
 * (or the nearest turn), and a segment is a run of one speaker's words inside one utterance.
 * Without turns every word belongs to one speaker.
 */
public final class TranscriptAssembler {

    /** A speaker turn in seconds from the start of the file; speaker is 0-based. */
    public record SpeakerTurn(int speaker, double start, double end) {
    }

    /** What produced the transcript. */
    public record Provenance(String recognizerName, String recognizerVersion, String recognizerModel,
            String diarizerName, String diarizerVersion) {
    }

    private TranscriptAssembler() {
    }

    public static Transcript assemble(String transcriptId, String trackId, String languageCode, long durationSamples,
            List<RecognitionEvent.Final> finals, List<SpeakerTurn> turns, Provenance provenance) {
        boolean diarized = !turns.isEmpty();
        TreeMap<Integer, Speaker> speakers = new TreeMap<>();
        List<Segment> segments = new ArrayList<>();
        for (RecognitionEvent.Final f : finals) {
            List<RecognizedWord> words = f.words();
            if (words.isEmpty()) {
                continue;
            }
            int i = 0;
            while (i < words.size()) {
                int speaker = diarized ? speakerOf(words.get(i), turns) : 0;
                int j = i + 1;
                while (j < words.size() && (diarized ? speakerOf(words.get(j), turns) : 0) == speaker) {
                    j++;
                }
                speakers.computeIfAbsent(speaker, s -> speaker(s, diarized, trackId));
                segments.add(segment(trackId, "s" + (speaker + 1), words.subList(i, j)));
                i = j;
            }
        }
        segments.sort(java.util.Comparator.comparingLong((Segment s) -> millis(s.getMediaStart())).thenComparing(Segment::getSegmentId));
        Instant now = Instant.now();
        ProcessingInfo.Builder processing = ProcessingInfo.newBuilder()
                .setRecognizer(Engine.newBuilder().setName(provenance.recognizerName()).setVersion(provenance.recognizerVersion())
                        .setModel(provenance.recognizerModel()));
        if (diarized) {
            processing.setDiarizer(Engine.newBuilder().setName(provenance.diarizerName()).setVersion(provenance.diarizerVersion()));
        }
        return Transcript.newBuilder()
                .setSchemaVersion(1)
                .setTranscriptId(transcriptId)
                .setLanguageCode(languageCode)
                .setStatus(TranscriptStatus.TRANSCRIPT_STATUS_COMPLETE)
                .setCreateTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setMediaDuration(ofSeconds(durationSamples / 16_000.0))
                .addAllSpeakers(speakers.values())
                .addAllSegments(segments)
                .setProcessing(processing)
                .build();
    }

    private static Speaker speaker(int index, boolean diarized, String trackId) {
        Speaker.Builder b = Speaker.newBuilder().setSpeakerId("s" + (index + 1)).setSourceTrackId(trackId)
                .setDisplayName(diarized ? "Speaker " + (index + 1) : "Speaker");
        if (diarized) {
            b.setIsDiarized(true).setDiarizationLabel("spk_" + index);
        }
        return b.build();
    }

    private static Segment segment(String trackId, String speakerId, List<RecognizedWord> words) {
        Segment.Builder b = Segment.newBuilder().setSpeakerId(speakerId).setTrackId(trackId);
        StringBuilder text = new StringBuilder();
        double conf = 0;
        for (RecognizedWord w : words) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(w.word());
            conf += w.confidence();
            b.addWords(Word.newBuilder().setText(w.word()).setMediaStart(ofSeconds(w.startSeconds()))
                    .setMediaEnd(ofSeconds(w.endSeconds())).setConfidence(w.confidence()));
        }
        Duration start = ofSeconds(words.get(0).startSeconds());
        return b.setSegmentId(trackId + "-" + millis(start))
                .setMediaStart(start)
                .setMediaEnd(ofSeconds(words.get(words.size() - 1).endSeconds()))
                .setText(text.toString())
                .setConfidence((float) (conf / words.size()))
                .build();
    }

    /** The speaker whose turn overlaps the word most; the nearest turn when none overlaps. */
    static int speakerOf(RecognizedWord w, List<SpeakerTurn> turns) {
        SpeakerTurn t = org.steno.speech.TurnOverlap.turnOf(Math.round(w.startSeconds() * 1000), Math.round(w.endSeconds() * 1000),
                turns, x -> Math.round(x.start() * 1000), x -> Math.round(x.end() * 1000), Long.MAX_VALUE);
        return t == null ? turns.get(0).speaker() : t.speaker();
    }

    static Duration ofSeconds(double s) {
        long nanos = Math.round(s * 1e9);
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }

    static long millis(Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
}
