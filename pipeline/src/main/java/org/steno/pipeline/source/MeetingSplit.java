package org.steno.pipeline.source;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceSplit;
import org.steno.pipeline.speech.MeetingMeta;

/**
 * One split per meeting with captions on: the meeting, the transcript being made of it, and
 * the media time reached per track (restoring resumes the MediaTap subscription from there).
 */
public final class MeetingSplit implements SourceSplit {

    private final String meetingId;
    private final String transcriptId;
    private final MeetingMeta meta;
    private final Map<String, TrackProgress> tracks;
    private final long captionsOnMs;

    /**
     * @param captionsOnMs media time at which captions were seen on: a fresh subscription
     *                     replays from there (out of MediaTap's ring buffer), so the job's
     *                     own start-up time loses no speech
     */
    public MeetingSplit(String meetingId, String transcriptId, MeetingMeta meta, Map<String, TrackProgress> tracks,
                        long captionsOnMs) {
        this.meetingId = meetingId;
        this.transcriptId = transcriptId;
        this.meta = meta;
        this.tracks = new LinkedHashMap<>(tracks);
        this.captionsOnMs = captionsOnMs;
    }

    public long captionsOnMs() {
        return captionsOnMs;
    }

    @Override
    public String splitId() {
        return meetingId + "#" + transcriptId;
    }

    public String meetingId() {
        return meetingId;
    }

    public String transcriptId() {
        return transcriptId;
    }

    public MeetingMeta meta() {
        return meta;
    }

    /** Per track progress; a copy. */
    public Map<String, TrackProgress> tracks() {
        return new LinkedHashMap<>(tracks);
    }

    @Override
    public String toString() {
        return "MeetingSplit[" + splitId() + ", tracks=" + tracks + "]";
    }
}
