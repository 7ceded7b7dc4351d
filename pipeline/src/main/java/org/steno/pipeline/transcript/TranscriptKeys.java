package org.steno.pipeline.transcript;

/** S3 keys of transcripts (ARCHITECTURE.md, "Storage"). The same input always gives the same key. */
public final class TranscriptKeys {

    private TranscriptKeys() {
    }

    public static String prefix(String meetingId, String transcriptId) {
        return "meetings/" + meetingId + "/transcripts/" + transcriptId + "/";
    }

    public static String partsPrefix(String meetingId, String transcriptId) {
        return prefix(meetingId, transcriptId) + "parts/";
    }

    public static String part(String meetingId, String transcriptId, String trackId, long startMs) {
        return partsPrefix(meetingId, transcriptId) + trackId + "/" + startMs + ".json";
    }

    public static String gapsPrefix(String meetingId, String transcriptId) {
        return prefix(meetingId, transcriptId) + "gaps/";
    }

    /** A coverage gap, one object per track and start (idempotent like parts); trackId "all" when every track. */
    public static String gap(String meetingId, String transcriptId, String trackId, long startMs) {
        return gapsPrefix(meetingId, transcriptId) + (trackId.isEmpty() ? "all" : trackId) + "/" + startMs + ".json";
    }

    public static String file(String meetingId, String transcriptId, String extension) {
        return prefix(meetingId, transcriptId) + "transcript." + extension;
    }
}
