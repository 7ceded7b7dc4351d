package org.steno.conference.tap;

import java.time.Duration;

/**
 * Decoded audio of one track, 16 kHz mono signed 16-bit, at most 100 ms (20 ms normally).
 *
 * @param trackId    the track, or {@link MeetingTap#MIX_TRACK_ID} for the mix of all speakers
 * @param sequence   per-track counter from 0, +1 per frame, never reused
 * @param mediaTime  media time of the first sample
 * @param samples    PCM samples; never modified after construction
 * @param levelDbov  mean level in dBov, −127 for silence
 */
public record PcmFrame(String trackId, String participantId, String speakerIdentity, String speakerDisplayName,
                       boolean mix, long sequence, Duration mediaTime, short[] samples, boolean concealed,
                       float levelDbov) implements TapEvent {

    public static final int SAMPLE_RATE = 16_000;
    /** 100 ms: the contract's upper bound per frame. */
    public static final int MAX_SAMPLES = SAMPLE_RATE / 10;

    public Duration duration() {
        return Duration.ofNanos(samples.length * 1_000_000_000L / SAMPLE_RATE);
    }

    public Duration mediaEnd() {
        return mediaTime.plus(duration());
    }

    /** Mean level in dBov of 16-bit samples: 20·log10(rms / 32768), floored at −127. */
    public static float levelDbov(short[] s, int off, int len) {
        if (len == 0) {
            return -127f;
        }
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) s[i] * s[i];
        }
        double rms = Math.sqrt(sum / len);
        if (rms < 1e-9) {
            return -127f;
        }
        return (float) Math.max(-127.0, Math.min(0.0, 20 * Math.log10(rms / 32768.0)));
    }

    /** The samples as little-endian bytes (what MediaTap sends). */
    public byte[] pcmBytes() {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            b[2 * i] = (byte) samples[i];
            b[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return b;
    }
}
