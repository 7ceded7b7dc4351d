package org.steno.recorder.ogg;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * Real Opus packets of digital silence in every CELT frame size (2.5 to 20 ms), encoded once.
 * Gaps (loss, mute, missing segments) are filled with them, so every file's duration equals
 * its time on the meeting's time line and players keep tracks aligned.
 */
public final class OpusSilence {

    private static final int[] SIZES = {960, 480, 240, 120};
    private static final byte[][] PACKETS = encode();

    private OpusSilence() {
    }

    private static byte[][] encode() {
        byte[][] packets = new byte[SIZES.length][];
        try {
            for (int i = 0; i < SIZES.length; i++) {
                // Low-delay forces CELT, the only mode with 2.5 and 5 ms frames.
                OpusEncoder enc = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY);
                byte[] out = new byte[1275];
                int n = enc.encode(new short[SIZES[i]], 0, SIZES[i], out, 0, out.length);
                packets[i] = java.util.Arrays.copyOf(out, n);
            }
        } catch (OpusException e) {
            throw new IllegalStateException("cannot encode Opus silence", e);
        }
        return packets;
    }

    /** Packets lasting {@code samples} rounded down to 2.5 ms, largest first; hands each to {@code sink}. */
    public static long fill(long samples, PacketSink sink) throws java.io.IOException {
        long left = samples;
        for (int i = 0; i < SIZES.length; i++) {
            while (left >= SIZES[i]) {
                sink.accept(PACKETS[i], SIZES[i]);
                left -= SIZES[i];
            }
        }
        return samples - left;
    }

    /** Receives one packet and its length in 48 kHz samples. */
    @FunctionalInterface
    public interface PacketSink {
        void accept(byte[] packet, int samples) throws java.io.IOException;
    }
}
