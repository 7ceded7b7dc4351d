package org.steno.models.diarize;

/**
 * Frame-level acoustic features of a stretch of audio: one row of cepstral coefficients per
 * 10 ms frame, and the frame's log energy in dB (used by the speech detector).
 *
 * @param cepstra  [frame][coefficient] MFCC c1..cN (c0 is left out: it is loudness, not voice)
 * @param energyDb [frame] log energy of the frame in dB relative to full scale
 */
public record Features(float[][] cepstra, float[] energyDb) {

    /** Frames per second: one every 10 ms. */
    public static final int FRAME_RATE = 100;

    public int frames() {
        return energyDb.length;
    }

    public int dimension() {
        return cepstra.length == 0 ? 0 : cepstra[0].length;
    }
}
