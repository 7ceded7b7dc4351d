package org.steno.pipeline.speech;

/** Level of a LINEAR16 frame in dBFS (RMS), −120 for silence or an empty frame. */
public final class FrameLevel {

    private FrameLevel() {
    }

    public static double dbfs(byte[] pcm) {
        return dbfs(pcm, 0, pcm.length);
    }

    /** Level of {@code pcm[from, from + length)}. */
    public static double dbfs(byte[] pcm, int from, int length) {
        int samples = length / 2;
        if (samples == 0) {
            return -120;
        }
        double sum = 0;
        for (int i = 0; i < samples; i++) {
            int at = from + 2 * i;
            int s = (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / samples);
        return rms < 1e-9 ? -120 : Math.max(-120, 20 * Math.log10(rms / 32768.0));
    }
}
