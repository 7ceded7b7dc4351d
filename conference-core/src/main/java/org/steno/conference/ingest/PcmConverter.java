package org.steno.conference.ingest;

import org.steno.audio.Resampler;

/**
 * Turns LINEAR16 chunks of any accepted format (8–48 kHz, 1–2 channels) into the taps'
 * 16 kHz mono: channels averaged, then resampled. Keeps resampler state across chunks.
 */
final class PcmConverter {

    private final int channels;
    private final Resampler resampler;

    PcmConverter(int sampleRate, int channels) {
        this.channels = channels;
        this.resampler = sampleRate == 16_000 ? null : new Resampler(sampleRate, 16_000);
    }

    short[] convert(byte[] pcm) {
        int frames = pcm.length / (2 * channels);
        short[] mono = new short[frames];
        for (int i = 0; i < frames; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                int at = 2 * (i * channels + c);
                sum += (short) ((pcm[at] & 0xFF) | (pcm[at + 1] << 8));
            }
            mono[i] = (short) (sum / channels);
        }
        return resampler == null ? mono : resampler.process(mono);
    }
}
