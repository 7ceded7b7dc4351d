package org.steno.models.transcriber;

import com.google.protobuf.Duration;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.RecognizedWord;
import org.steno.proto.speech.v1.EndOfUtterance;
import org.steno.proto.speech.v1.SpeechRecognitionAlternative;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.VoiceActivityEvent;
import org.steno.proto.speech.v1.VoiceActivityType;
import org.steno.proto.speech.v1.WordInfo;

/** Turns recognizer events into contract messages: offsets from stream start, media times when the config has a media_start. */
public final class ResultMapper {

    private static final long SAMPLES_PER_FRAME = 16_000 / 100;

    private final String languageCode;
    private final boolean wordTimes;
    private final boolean wordConfidence;
    private final Duration mediaStart;

    public ResultMapper(String languageCode, boolean wordTimes, boolean wordConfidence, Duration mediaStart) {
        this.languageCode = languageCode;
        this.wordTimes = wordTimes;
        this.wordConfidence = wordConfidence;
        this.mediaStart = mediaStart;
    }

    public SpeechRecognitionResult interim(RecognitionEvent.Interim e) {
        SpeechRecognitionResult.Builder b = SpeechRecognitionResult.newBuilder()
                .setUtteranceId(e.utteranceId())
                .setRevision(e.revision())
                .setIsFinal(false)
                .setStability(e.stability())
                .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(e.text()))
                .setLanguageCode(languageCode);
        times(b, e.startSample(), e.endSample());
        return b.build();
    }

    public SpeechRecognitionResult fin(RecognitionEvent.Final e) {
        SpeechRecognitionAlternative.Builder alt = SpeechRecognitionAlternative.newBuilder()
                .setTranscript(e.text())
                .setConfidence(e.confidence());
        if (wordTimes || wordConfidence) {
            for (RecognizedWord w : e.words()) {
                WordInfo.Builder wb = WordInfo.newBuilder().setWord(w.word());
                // Words come with their times whenever words are asked for: a word without
                // times would read as spoken at 0 s.
                long s = w.startFrame() * SAMPLES_PER_FRAME;
                long en = w.endFrame() * SAMPLES_PER_FRAME;
                wb.setStartOffset(Durations.ofSamples(s)).setEndOffset(Durations.ofSamples(en));
                if (mediaStart != null) {
                    wb.setMediaStart(Durations.plus(mediaStart, Durations.ofSamples(s)))
                            .setMediaEnd(Durations.plus(mediaStart, Durations.ofSamples(en)));
                }
                if (wordConfidence) {
                    wb.setConfidence(w.confidence());
                }
                alt.addWords(wb);
            }
        }
        SpeechRecognitionResult.Builder b = SpeechRecognitionResult.newBuilder()
                .setUtteranceId(e.utteranceId())
                .setRevision(e.revision())
                .setIsFinal(true)
                .setStability(1f)
                .addAlternatives(alt)
                .setLanguageCode(languageCode);
        times(b, e.startSample(), e.endSample());
        return b.build();
    }

    public VoiceActivityEvent voice(VoiceActivityType type, long sample) {
        VoiceActivityEvent.Builder b = VoiceActivityEvent.newBuilder().setType(type).setOffset(Durations.ofSamples(sample));
        if (mediaStart != null) {
            b.setMediaTime(Durations.plus(mediaStart, Durations.ofSamples(sample)));
        }
        return b.build();
    }

    public EndOfUtterance endOfUtterance(RecognitionEvent.UtteranceEnded e) {
        EndOfUtterance.Builder b = EndOfUtterance.newBuilder().setUtteranceId(e.utteranceId()).setOffset(Durations.ofSamples(e.sample()));
        if (mediaStart != null) {
            b.setMediaTime(Durations.plus(mediaStart, Durations.ofSamples(e.sample())));
        }
        return b.build();
    }

    public Duration mediaTime(long sample) {
        return mediaStart == null ? null : Durations.plus(mediaStart, Durations.ofSamples(sample));
    }

    private void times(SpeechRecognitionResult.Builder b, long start, long end) {
        b.setStartOffset(Durations.ofSamples(start)).setEndOffset(Durations.ofSamples(end));
        if (mediaStart != null) {
            b.setMediaStart(Durations.plus(mediaStart, Durations.ofSamples(start)))
                    .setMediaEnd(Durations.plus(mediaStart, Durations.ofSamples(end)));
        }
    }
}
