package org.steno.pipeline.speech;

/**
 * What the transcript needs to know about the meeting, carried with the audio so no operator
 * has to look it up: title, the wall-clock instant of media time 0, the caption language.
 */
public record MeetingMeta(String title, long startEpochMs, String language, String recordingId) {

    public static MeetingMeta unknown() {
        return new MeetingMeta("", 0, "", "");
    }
}
