package org.steno.recorder;

import java.time.Duration;

/**
 * How the recorder works; {@link #defaults()} suits production, tests shorten the times.
 *
 * @param segmentMillis     length of a segment on the time line: a crash loses at most this much
 * @param mix               whether to record the mix of everyone (decode + mix + encode)
 * @param mixBitrate        Opus bitrate of the mix
 * @param mixLatencyMillis  how long the mixer waits for late audio before mixing a frame
 * @param minFreeBytes      below this much free space in the spool the recorder stops recording
 * @param maxUploadBackoff  longest wait between upload retries while storage is down
 * @param recoveryGrace     a recording with no new segment for this long and no manifest is finalized
 *                          by recovery (longer than a segment, so a live recording elsewhere is left alone)
 * @param queueCapacity     media events buffered per recording before new ones are dropped
 */
public record RecorderSettings(long segmentMillis, boolean mix, int mixBitrate, long mixLatencyMillis,
                               long minFreeBytes, Duration maxUploadBackoff, Duration recoveryGrace,
                               int queueCapacity) {

    public static RecorderSettings defaults() {
        return new RecorderSettings(10_000, true, 32_000, 300, 256L * 1024 * 1024, Duration.ofSeconds(30),
                Duration.ofSeconds(60), 50_000);
    }

    public RecorderSettings withSegmentMillis(long millis) {
        return new RecorderSettings(millis, mix, mixBitrate, mixLatencyMillis, minFreeBytes, maxUploadBackoff,
                recoveryGrace, queueCapacity);
    }

    public RecorderSettings withMix(boolean on) {
        return new RecorderSettings(segmentMillis, on, mixBitrate, mixLatencyMillis, minFreeBytes, maxUploadBackoff,
                recoveryGrace, queueCapacity);
    }

    public RecorderSettings withMinFreeBytes(long bytes) {
        return new RecorderSettings(segmentMillis, mix, mixBitrate, mixLatencyMillis, bytes, maxUploadBackoff,
                recoveryGrace, queueCapacity);
    }

    public RecorderSettings withMaxUploadBackoff(Duration d) {
        return new RecorderSettings(segmentMillis, mix, mixBitrate, mixLatencyMillis, minFreeBytes, d,
                recoveryGrace, queueCapacity);
    }

    public RecorderSettings withRecoveryGrace(Duration d) {
        return new RecorderSettings(segmentMillis, mix, mixBitrate, mixLatencyMillis, minFreeBytes, maxUploadBackoff,
                d, queueCapacity);
    }

    public RecorderSettings withQueueCapacity(int capacity) {
        return new RecorderSettings(segmentMillis, mix, mixBitrate, mixLatencyMillis, minFreeBytes, maxUploadBackoff,
                recoveryGrace, capacity);
    }
}
