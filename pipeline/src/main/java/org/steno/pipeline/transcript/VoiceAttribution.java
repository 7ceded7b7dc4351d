package org.steno.pipeline.transcript;

import com.google.protobuf.util.Durations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.steno.pipeline.speech.VoiceTurn;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Word;

/**
 * Attributes recognised words to the voices of a shared microphone, the way word-level
 * alignment tools do it: each word goes to the turn that overlaps it most; a word in no turn
 * (the diarizer's speech detection is stricter than the recogniser's) goes to the nearest
 * turn within {@link #NEAREST_MS}, else to the voice of the word before it. An utterance whose
 * words change voice is split there.
 */
final class VoiceAttribution {

    /** How far from a word a turn may be and still claim it. */
    static final long NEAREST_MS = 1000;

    /** A stretch of consecutive words of one voice ({@code null}: no voice known). */
    record Run(String voice, Segment segment) {
    }

    private VoiceAttribution() {
    }

    /** The voice that overlaps {@code [startMs, endMs)} most, or the nearest one; null if none is near. */
    static String voiceOf(long startMs, long endMs, Collection<VoiceTurn> turns) {
        VoiceTurn t = org.steno.speech.TurnOverlap.turnOf(startMs, endMs, turns.stream().filter(x -> !x.withdrawn()).toList(),
                VoiceTurn::startMs, VoiceTurn::endMs, NEAREST_MS);
        return t == null ? null : t.voice();
    }

    /** Splits an utterance where its words change voice; ids are {@code <trackId>-<startMs>} of each run. */
    static List<Run> split(Segment s, Collection<VoiceTurn> turns) {
        List<Run> runs = new ArrayList<>();
        if (s.getWordsCount() == 0) {
            runs.add(new Run(voiceOf(Durations.toMillis(s.getMediaStart()), Durations.toMillis(s.getMediaEnd()), turns), s));
            return runs;
        }
        String[] voices = new String[s.getWordsCount()];
        for (int i = 0; i < voices.length; i++) {
            Word w = s.getWords(i);
            voices[i] = voiceOf(Durations.toMillis(w.getMediaStart()), Durations.toMillis(w.getMediaEnd()), turns);
            if (voices[i] == null && i > 0) {
                voices[i] = voices[i - 1];
            }
        }
        // Leading words in no turn take the voice of the first word that has one.
        for (int i = voices.length - 2; i >= 0; i--) {
            if (voices[i] == null) {
                voices[i] = voices[i + 1];
            }
        }
        int from = 0;
        for (int i = 1; i <= voices.length; i++) {
            if (i == voices.length || !java.util.Objects.equals(voices[i], voices[from])) {
                runs.add(new Run(voices[from], from == 0 && i == voices.length ? s : slice(s, from, i)));
                from = i;
            }
        }
        return runs;
    }

    private static Segment slice(Segment s, int from, int to) {
        List<Word> words = s.getWordsList().subList(from, to);
        StringBuilder text = new StringBuilder();
        float confidence = 0;
        for (Word w : words) {
            text.append(text.length() == 0 ? "" : " ").append(w.getText());
            confidence += w.getConfidence();
        }
        long start = Durations.toMillis(words.get(0).getMediaStart());
        return s.toBuilder()
                .setSegmentId(s.getTrackId() + "-" + start)
                .setMediaStart(words.get(0).getMediaStart())
                .setMediaEnd(words.get(words.size() - 1).getMediaEnd())
                .setText(text.toString())
                .setConfidence(confidence / words.size())
                .clearWords().addAllWords(words)
                .build();
    }
}
