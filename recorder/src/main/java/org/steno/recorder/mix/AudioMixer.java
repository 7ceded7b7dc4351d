package org.steno.recorder.mix;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.IOException;
import java.util.TreeMap;
import org.steno.recorder.track.SegmentedOggWriter;

/**
 * Mixes every speaker's decoded audio on the recording's time line (48 kHz mono, 20 ms frames)
 * and encodes the mix as Opus into its own segmented Ogg file, starting at the recording's start.
 * A frame is mixed once the time line's watermark (the newest media time minus a latency that
 * covers jitter) has passed it; audio that arrives later than that is left out of the mix.
 *
 * <p>Clipping protection: the sum is scaled by a limiter gain that drops at once to keep a
 * frame's peak within 16 bits and recovers slowly (about 2 s from -6 dB), so loud overlaps
 * duck briefly instead of distorting.
 */
public final class AudioMixer implements PcmSink {

    public static final int FRAME = 960;
    /**
     * The mix encoder's look-ahead at 48 kHz (2.5 ms + 4 ms in VOIP mode, libopus's OPUS_GET_LOOKAHEAD):
     * decoded, the mix lags its sources by this much, so the final mixed file declares it as pre-skip.
     */
    public static final int ENCODER_LOOKAHEAD = 312;
    private static final double RELEASE_PER_FRAME = 0.01;

    private final TreeMap<Long, int[]> frames = new TreeMap<>();
    private final SegmentedOggWriter out;
    private final OpusEncoder encoder;
    private final short[] pcm = new short[FRAME];
    private final byte[] packet = new byte[1275];
    private long nextFrame;
    private double gain = 1.0;
    private long lateSamples;
    private long limitedFrames;

    public AudioMixer(SegmentedOggWriter out, int bitrate) {
        this.out = out;
        try {
            encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(bitrate);
            // Complexity 3 of 10: speech stays clean at 32 kbit/s and the encoder costs about half of the default.
            encoder.setComplexity(3);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot create the Opus encoder for the mix", e);
        }
    }

    @Override
    public void pcm(String trackId, long position, short[] samples, int count) {
        int i = 0;
        while (i < count) {
            long at = position + i;
            long frame = at / FRAME;
            int from = (int) (at % FRAME);
            int n = Math.min(count - i, FRAME - from);
            if (frame < nextFrame) {
                lateSamples += n;
            } else {
                int[] sum = frames.computeIfAbsent(frame, f -> new int[FRAME]);
                for (int k = 0; k < n; k++) {
                    sum[from + k] += samples[i + k];
                }
            }
            i += n;
        }
    }

    /** Mixes and writes every frame that ends at or before {@code watermark} (samples on the time line). */
    public void advanceTo(long watermark) throws IOException {
        while ((nextFrame + 1) * FRAME <= watermark) {
            emit(nextFrame);
            nextFrame++;
        }
    }

    private void emit(long frame) throws IOException {
        int[] sum = frames.remove(frame);
        int peak = 0;
        if (sum != null) {
            for (int s : sum) {
                peak = Math.max(peak, Math.abs(s));
            }
        }
        double needed = peak > Short.MAX_VALUE ? (double) Short.MAX_VALUE / peak : 1.0;
        if (needed < gain) {
            gain = needed;
            limitedFrames++;
        } else {
            gain = Math.min(needed, Math.min(1.0, gain + RELEASE_PER_FRAME));
        }
        for (int i = 0; i < FRAME; i++) {
            long v = sum == null ? 0 : Math.round(sum[i] * gain);
            pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        int n;
        try {
            n = encoder.encode(pcm, 0, FRAME, packet, 0, packet.length);
        } catch (OpusException e) {
            throw new IOException("Opus encoding of the mix failed: " + e.getMessage(), e);
        }
        out.write(frame * FRAME, java.util.Arrays.copyOf(packet, n), FRAME, "no audio");
    }

    /** Mixes up to {@code end} and commits the last segment. */
    public void finish(long end) throws IOException {
        advanceTo(end);
        frames.clear();
        out.close();
    }

    public void abandon() {
        out.abandon();
    }

    public SegmentedOggWriter output() {
        return out;
    }

    public long lateSamples() {
        return lateSamples;
    }

    public long limitedFrames() {
        return limitedFrames;
    }
}
