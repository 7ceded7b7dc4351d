package org.steno.conference.tap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums every speaker's 16 kHz PCM into 20 ms slots of meeting media time and releases a
 * slot once no speaker can still contribute to it: when every active speaker's audio has
 * passed it, when the meeting clock is {@code delay} past it, or when it lags the newest
 * audio by more than {@code hold} (bounding memory when one speaker stalls). Audio that
 * arrives for a released slot is left out of the mix. Slots nobody spoke in are skipped.
 * Not thread-safe: the owning {@link MeetingTap} serialises calls.
 */
final class Mixer {

    static final int SLOT_SAMPLES = 320; // 20 ms at 16 kHz

    private final long delaySamples;
    private final long holdSamples;
    private final TreeMap<Long, int[]> slots = new TreeMap<>();
    private final Map<String, Long> trackEnds = new HashMap<>();
    private long nextSlot = Long.MIN_VALUE;
    private long sequence;

    Mixer(Duration delay, Duration hold) {
        this.delaySamples = samples(delay);
        this.holdSamples = samples(hold);
    }

    /** Adds one speaker's frame; returns mix frames that became complete. */
    List<PcmFrame> add(String trackId, Duration mediaTime, short[] pcm, long clockSamples) {
        long start = samples(mediaTime);
        if (nextSlot == Long.MIN_VALUE) {
            nextSlot = Math.floorDiv(start, SLOT_SAMPLES);
        }
        for (int i = 0; i < pcm.length; i++) {
            long pos = start + i;
            long slot = Math.floorDiv(pos, SLOT_SAMPLES);
            if (slot < nextSlot) {
                continue; // late: that slot has gone out already
            }
            slots.computeIfAbsent(slot, k -> new int[SLOT_SAMPLES])[(int) (pos - slot * SLOT_SAMPLES)] += pcm[i];
        }
        trackEnds.merge(trackId, start + pcm.length, Math::max);
        return release(clockSamples);
    }

    /**
     * A speaker can now speak (published or unmuted): until its first audio, the mix waits for
     * it from the current clock on, so its first frame is not left out.
     */
    void addTrack(String trackId, long clockSamples) {
        trackEnds.putIfAbsent(trackId, clockSamples);
    }

    /** A speaker stopped (unpublished or muted): the mix no longer waits for it. */
    void removeTrack(String trackId) {
        trackEnds.remove(trackId);
    }

    /** Releases what the clock allows (called on each heartbeat). */
    List<PcmFrame> release(long clockSamples) {
        if (slots.isEmpty()) {
            return List.of();
        }
        long minEnd = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (long e : trackEnds.values()) {
            minEnd = Math.min(minEnd, e);
            maxEnd = Math.max(maxEnd, e);
        }
        long edge = clockSamples - delaySamples;
        if (!trackEnds.isEmpty()) {
            edge = Math.max(edge, Math.max(minEnd, maxEnd - holdSamples));
        } else {
            edge = Long.MAX_VALUE; // nobody left to wait for
        }
        List<PcmFrame> out = new ArrayList<>();
        while (!slots.isEmpty()) {
            long slot = slots.firstKey();
            if ((slot + 1) * SLOT_SAMPLES > edge) {
                break;
            }
            int[] sum = slots.pollFirstEntry().getValue();
            short[] pcm = new short[SLOT_SAMPLES];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum[i]));
            }
            Duration at = Duration.ofNanos(slot * SLOT_SAMPLES * 1_000_000_000L / PcmFrame.SAMPLE_RATE);
            out.add(new PcmFrame(MeetingTap.MIX_TRACK_ID, "", "", "", true, sequence++, at, pcm, false,
                    PcmFrame.levelDbov(pcm, 0, pcm.length)));
            nextSlot = slot + 1;
        }
        return out;
    }

    /** Everything still pending (meeting end). */
    List<PcmFrame> drain() {
        trackEnds.clear();
        return release(Long.MAX_VALUE / 2);
    }

    static long samples(Duration d) {
        return Math.floorDiv(d.toNanos() * PcmFrame.SAMPLE_RATE, 1_000_000_000L);
    }
}
