package org.steno.pipeline.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.pipeline.speech.VoiceTurn;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Word;

class VoiceAttributionTest {

    static VoiceTurn turn(String voice, long start, long end) {
        return new VoiceTurn(voice + "@" + start, voice, voice, 0, false, start, end);
    }

    static Segment utterance(long... bounds) {
        Segment.Builder s = Segment.newBuilder().setSegmentId("t1-" + bounds[0]).setTrackId("t1")
                .setMediaStart(Durations.fromMillis(bounds[0])).setMediaEnd(Durations.fromMillis(bounds[bounds.length - 1]));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i + 1 < bounds.length; i++) {
            s.addWords(Word.newBuilder().setText("w" + i).setMediaStart(Durations.fromMillis(bounds[i]))
                    .setMediaEnd(Durations.fromMillis(bounds[i + 1])).setConfidence(0.5f));
            text.append(i == 0 ? "" : " ").append("w").append(i);
        }
        return s.setText(text.toString()).build();
    }

    @Test
    void theTurnThatOverlapsMostWinsAndNearTurnsClaimWordsInNone() {
        List<VoiceTurn> turns = List.of(turn("a", 0, 1000), turn("b", 1000, 3000));
        assertThat(VoiceAttribution.voiceOf(800, 1300, turns)).isEqualTo("b");
        assertThat(VoiceAttribution.voiceOf(700, 1100, turns)).isEqualTo("a");
        assertThat(VoiceAttribution.voiceOf(3500, 3800, turns)).as("500 ms after b").isEqualTo("b");
        assertThat(VoiceAttribution.voiceOf(5000, 5200, turns)).as("2 s from any turn").isNull();
        assertThat(VoiceAttribution.voiceOf(0, 500, List.of(new VoiceTurn("x", "a", "a", 2, true, 0, 1000)))).isNull();
    }

    @Test
    void anUtteranceIsSplitWhereItsWordsChangeVoice() {
        List<VoiceTurn> turns = List.of(turn("a", 0, 1000), turn("b", 1000, 2000));
        List<VoiceAttribution.Run> runs = VoiceAttribution.split(utterance(0, 400, 900, 1500, 1900), turns);
        assertThat(runs).extracting(VoiceAttribution.Run::voice).containsExactly("a", "b");
        assertThat(runs.get(0).segment().getText()).isEqualTo("w0 w1");
        assertThat(runs.get(1).segment().getText()).isEqualTo("w2 w3");
        assertThat(runs.get(1).segment().getSegmentId()).isEqualTo("t1-900");
        assertThat(Durations.toMillis(runs.get(1).segment().getMediaStart())).isEqualTo(900);
        assertThat(Durations.toMillis(runs.get(1).segment().getMediaEnd())).isEqualTo(1900);
    }

    @Test
    void wordsInNoTurnFollowTheirNeighboursAndOneVoiceKeepsTheUtteranceWhole() {
        // the first two words are 2.5 s before b's turn (too far to claim), the others are in it
        Segment s = utterance(0, 300, 600, 3100, 3400);
        List<VoiceAttribution.Run> runs = VoiceAttribution.split(s, List.of(turn("b", 3000, 4000)));
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.voice()).isEqualTo("b");
            assertThat(r.segment()).isSameAs(s);
        });
        assertThat(VoiceAttribution.split(s, List.of())).singleElement().satisfies(r -> assertThat(r.voice()).isNull());
    }
}
