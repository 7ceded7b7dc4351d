package org.steno.models.vad;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds labelled test audio: real speech clips (each with its own speech span, e.g. from the
 * recognizer's first-to-last word times) separated by inserted stretches of known non-speech
 * — near silence or loud steady noise — so every 20 ms frame has a true label.
 */
public final class LabelledSpeech {

    /** A speech clip and where, inside it, speech is (samples). */
    public record Clip(short[] samples, int speechStart, int speechEnd) {
    }

    /** The audio and one label per {@link EnergyVad#FRAME_SAMPLES} frame. */
    public record Labelled(short[] samples, boolean[] speech) {
    }

    private LabelledSpeech() {
    }

    /**
     * @param noiseDbfs level of the inserted non-speech (e.g. -60 for a quiet room, -35 for a fan)
     */
    public static Labelled build(List<Clip> clips, double noiseDbfs, long seed) {
        Random r = new Random(seed);
        double amp = 32768 * Math.pow(10, noiseDbfs / 20) * Math.sqrt(3);
        List<short[]> parts = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        int at = 0;
        for (Clip c : clips) {
            int gap = (int) ((0.5 + 1.5 * r.nextDouble()) * EnergyVad.SAMPLE_RATE);
            short[] noise = new short[gap];
            for (int i = 0; i < gap; i++) {
                noise[i] = (short) Math.round((r.nextDouble() * 2 - 1) * amp);
            }
            parts.add(noise);
            at += gap;
            // The clip is mixed with the same background so the floor is continuous.
            short[] s = c.samples().clone();
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s[i] + Math.round((r.nextDouble() * 2 - 1) * amp)));
            }
            parts.add(s);
            spans.add(new int[] {at + c.speechStart(), at + c.speechEnd()});
            at += s.length;
        }
        short[] all = new short[at];
        int p = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, all, p, part.length);
            p += part.length;
        }
        boolean[] labels = new boolean[all.length / EnergyVad.FRAME_SAMPLES];
        for (int f = 0; f < labels.length; f++) {
            int mid = f * EnergyVad.FRAME_SAMPLES + EnergyVad.FRAME_SAMPLES / 2;
            for (int[] sp : spans) {
                if (mid >= sp[0] && mid < sp[1]) {
                    labels[f] = true;
                }
            }
        }
        return new Labelled(all, labels);
    }
}
