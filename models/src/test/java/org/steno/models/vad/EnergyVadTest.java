package org.steno.models.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.steno.models.TestAudio;

class EnergyVadTest {

    /** Speech spans of the two test sentences: first to last word, from pocketsphinx_continuous -time yes. */
    static List<LabelledSpeech.Clip> clips() throws Exception {
        return List.of(
                new LabelledSpeech.Clip(TestAudio.samples(TestAudio.SHORT_SENTENCE), (int) (0.23 * 16000), (int) (2.79 * 16000)),
                new LabelledSpeech.Clip(TestAudio.samples(TestAudio.LONG_SENTENCE), (int) (0.15 * 16000), (int) (7.04 * 16000)));
    }

    @Test
    void quietRoomGapsAreFoundAndSpeechIsKept() throws Exception {
        LabelledSpeech.Labelled l = LabelledSpeech.build(clips(), -60, 1);
        VadScore s = VadScore.of(l.speech(), EnergyVad.label(l.samples(), new EnergyVad()));
        assertThat(s.accuracy()).as("accuracy %s", s).isGreaterThan(0.85);
        assertThat(s.recall()).isGreaterThan(0.85);
        assertThat(s.precision()).isGreaterThan(0.85);
    }

    @Test
    void steadyLoudNoiseIsNotSpeech() throws Exception {
        LabelledSpeech.Labelled l = LabelledSpeech.build(clips(), -35, 2);
        VadScore s = VadScore.of(l.speech(), EnergyVad.label(l.samples(), new EnergyVad()));
        assertThat(s.accuracy()).as("accuracy %s", s).isGreaterThan(0.75);
        assertThat(s.precision()).isGreaterThan(0.8);
    }

    @Test
    void flatnessSeparatesNoiseFromATone() {
        short[] tone = new short[EnergyVad.FRAME_SAMPLES];
        short[] noise = new short[EnergyVad.FRAME_SAMPLES];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            noise[i] = (short) (r.nextGaussian() * 3000);
        }
        EnergyVad v = new EnergyVad();
        assertThat(v.flatness(tone, 0)).isLessThan(0.1);
        assertThat(v.flatness(noise, 0)).isGreaterThan(0.4);
    }
}
