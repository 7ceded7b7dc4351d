package org.steno.conference.tap;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import org.steno.audio.Resampler;

/**
 * Decodes one track's Opus packets at 48 kHz mono (concentus, pure Java) and resamples to the
 * taps' 16 kHz. One per track: Opus and the resampler keep state from packet to packet.
 */
final class OpusTrackDecoder {

    private static final int MAX_FRAME_48K = 5760; // 120 ms, the longest Opus packet

    private final OpusDecoder decoder;
    private final Resampler resampler = new Resampler(48_000, PcmFrame.SAMPLE_RATE);
    private final short[] pcm48 = new short[MAX_FRAME_48K];
    private int lastDecoded48k;

    OpusTrackDecoder() {
        try {
            decoder = new OpusDecoder(48_000, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot create an Opus decoder: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes one packet; null payload asks for packet-loss concealment of {@code lostSamples48k}.
     * Throws {@link IllegalArgumentException} for a packet Opus rejects.
     */
    /** 48 kHz samples the last {@link #decode} call produced before resampling. */
    int lastDecoded48k() {
        return lastDecoded48k;
    }

    short[] decode(byte[] payload, int lostSamples48k) {
        try {
            int n = payload == null
                    ? decoder.decode(null, 0, 0, pcm48, 0, Math.min(lostSamples48k, MAX_FRAME_48K), false)
                    : decoder.decode(payload, 0, payload.length, pcm48, 0, MAX_FRAME_48K, false);
            lastDecoded48k = n;
            return resampler.process(pcm48, 0, n);
        } catch (OpusException | RuntimeException e) {
            throw new IllegalArgumentException("undecodable Opus packet of " + (payload == null ? 0 : payload.length)
                    + " bytes: " + e.getMessage(), e);
        }
    }
}
