package org.steno.pipeline.speech;

/**
 * What flows per speaker track from the source through segmentation to recognition: a frame
 * of PCM, the end of a speech segment, or the end of the track. A record (a Flink POJO), so
 * Flink serialises it without Kryo; {@code pcm} is LINEAR16 16 kHz mono.
 *
 * @param meetingTracks for {@link Kind#TRACK_END} at meeting end: every track of the meeting
 *                      that carried audio, so the transcript writer knows when all are closed;
 *                      empty otherwise
 * @param sharedMicrophone several people speak on this track: it is diarized
 * @param gapEndMs      for {@link Kind#GAP}: where the missing audio ends ({@code mediaMs} is where it starts)
 * @param gapReason     for {@link Kind#GAP}: why the audio is missing, in words
 */
public record TrackEvent(
        Kind kind,
        String meetingId,
        String transcriptId,
        String trackId,
        String participantId,
        String speakerIdentity,
        String speakerName,
        String language,
        long mediaMs,
        byte[] pcm,
        long segmentStartMs,
        boolean meetingEnd,
        String[] meetingTracks,
        MeetingMeta meeting,
        boolean sharedMicrophone,
        long gapEndMs,
        String gapReason) {

    /** Kind of a {@link TrackEvent}. */
    public enum Kind {
        /** A frame of audio ({@code pcm} at {@code mediaMs}). */
        AUDIO,
        /** The speech segment that started at {@code segmentStartMs} ended (flush the recogniser). */
        SEGMENT_END,
        /** The track ended (participant left, track unpublished, captions off, meeting ended). */
        TRACK_END,
        /** Audio of the track from {@code mediaMs} to {@code gapEndMs} will never come (goes to the transcript only). */
        GAP,
        /** The pipeline starts captioning the meeting (in {@code language}); goes to CaptionIngest.Control only. */
        CAPTIONS_ON,
        /** The pipeline stops captioning the meeting; goes to CaptionIngest.Control only. */
        CAPTIONS_OFF
    }

    /**
     * Audio, segment, gap and track events: what segmentation and recognition take. Gaps go the
     * same keyed way as their track's end, so the transcript cannot be closed before them.
     */
    public boolean onAudioPath() {
        return kind == Kind.AUDIO || kind == Kind.SEGMENT_END || kind == Kind.TRACK_END || kind == Kind.GAP;
    }

    /** Captions of a meeting turned on or off (for {@code CaptionIngest.Control}). */
    public boolean isCaptionControl() {
        return kind == Kind.CAPTIONS_ON || kind == Kind.CAPTIONS_OFF;
    }

    /** Key of the per-track stream: meeting ids are [A-Za-z0-9_-], so '/' cannot collide. */
    public String key() {
        return meetingId + "/" + trackId;
    }

    /** Duration of {@code pcm} in milliseconds (16 kHz, 16-bit, mono). */
    public long durationMs() {
        return pcm == null ? 0 : pcm.length / 32L;
    }

    public TrackEvent withSegment(Kind k, long segmentStart) {
        return new TrackEvent(k, meetingId, transcriptId, trackId, participantId, speakerIdentity, speakerName,
                language, mediaMs, k == Kind.AUDIO ? pcm : new byte[0], segmentStart, meetingEnd, meetingTracks, meeting,
                sharedMicrophone, gapEndMs, gapReason);
    }

    /** The same event without its audio: what state keeps to remember who a track is. */
    public TrackEvent withoutAudio() {
        return pcm == null || pcm.length == 0 ? this : new TrackEvent(kind, meetingId, transcriptId, trackId, participantId,
                speakerIdentity, speakerName, language, mediaMs, new byte[0], segmentStartMs, meetingEnd, meetingTracks, meeting,
                sharedMicrophone, gapEndMs, gapReason);
    }

    /** An AUDIO event of the same track, speaker and segment with other audio (merging or splitting frames). */
    public TrackEvent withAudio(long atMs, byte[] audio) {
        return new TrackEvent(Kind.AUDIO, meetingId, transcriptId, trackId, participantId, speakerIdentity, speakerName,
                language, atMs, audio, segmentStartMs, false, meetingTracks, meeting, sharedMicrophone, 0, "");
    }

    /** The same event on a track that several people speak into (or not). */
    public TrackEvent withSharedMicrophone(boolean shared) {
        return shared == sharedMicrophone ? this : new TrackEvent(kind, meetingId, transcriptId, trackId, participantId,
                speakerIdentity, speakerName, language, mediaMs, pcm, segmentStartMs, meetingEnd, meetingTracks, meeting, shared,
                gapEndMs, gapReason);
    }

    public static TrackEvent audio(String meetingId, String transcriptId, String trackId, String participantId,
                                   String identity, String name, String language, long mediaMs, byte[] pcm, MeetingMeta meeting) {
        return new TrackEvent(Kind.AUDIO, meetingId, transcriptId, trackId, participantId, identity, name, language,
                mediaMs, pcm, -1, false, new String[0], meeting, false, 0, "");
    }

    public static TrackEvent trackEnd(String meetingId, String transcriptId, String trackId, String participantId,
                                      String identity, String name, String language, long mediaMs,
                                      boolean meetingEnd, String[] meetingTracks, MeetingMeta meeting) {
        return new TrackEvent(Kind.TRACK_END, meetingId, transcriptId, trackId, participantId, identity, name, language,
                mediaMs, new byte[0], -1, meetingEnd, meetingTracks, meeting, false, 0, "");
    }

    /** The pipeline starts ({@code on}) or stops captioning a meeting at media time {@code mediaMs}. */
    public static TrackEvent captions(boolean on, String meetingId, String transcriptId, String language, long mediaMs,
                                      MeetingMeta meeting) {
        return new TrackEvent(on ? Kind.CAPTIONS_ON : Kind.CAPTIONS_OFF, meetingId, transcriptId, "", "", "", "", language,
                mediaMs, new byte[0], -1, false, new String[0], meeting, false, 0, "");
    }

    /** Audio of a track that will never come, from {@code startMs} to {@code endMs}. */
    public static TrackEvent gap(String meetingId, String transcriptId, String trackId, long startMs, long endMs,
                                 String reason, MeetingMeta meeting) {
        return new TrackEvent(Kind.GAP, meetingId, transcriptId, trackId, "", "", "", "", startMs, new byte[0], -1, false,
                new String[0], meeting, false, endMs, reason);
    }
}
